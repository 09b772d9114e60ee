using System.Net.Http.Headers;
using System.Text;
using IdentityReplicator.Sandbox.Emulators;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging.Abstractions;

namespace IdentityReplicator.Sandbox.Tests.Emulators;

/// <summary>
/// A free port is only free until someone binds it: an emulator started by another test assembly can take the port
/// chosen for this one. The start must then notice (the process gone, or another service answering) and retry on a
/// new port, never hand out an endpoint that another emulator answers.
/// </summary>
public sealed class EmulatorStartTests
{
    [Fact]
    public async Task DynaliteStartAsync_PortTakenByAnotherEmulator_StartsOnANewPortThatAnswersDynamoDb()
    {
        await using var foreign = await ForeignEmulatorAsync();
        var install = await InstallAsync();

        await using var dynalite = await Dynalite.StartAsync(install, Path.GetTempPath(), TimeProvider.System, CancellationToken.None, PortsStartingWith(foreign.Url.Port));

        Assert.NotEqual(foreign.Url.Port, dynalite.Port);
        Assert.Equal((200, true), await AnswerAsync(dynalite.Url, "application/x-amz-json-1.0", "DynamoDB_20120810.ListTables", "{}", "TableNames"));
    }

    [Fact]
    public async Task CognitoLocalStartAsync_PortTakenByAnotherEmulator_StartsOnANewPortThatAnswersCognito()
    {
        await using var foreign = await ForeignEmulatorAsync();
        var install = await InstallAsync();
        var data = Directory.CreateTempSubdirectory("idrep-cognito-").FullName;
        try
        {
            await using var cognito = await CognitoLocal.StartAsync(install, data, null, "us-east-1", "123456", TimeProvider.System, CancellationToken.None, PortsStartingWith(foreign.Url.Port));

            Assert.NotEqual(foreign.Url.Port, cognito.Port);
            Assert.Equal((200, true), await AnswerAsync(cognito.Url, "application/x-amz-json-1.1", "AWSCognitoIdentityProviderService.ListUserPools", """{"MaxResults":1}""", "UserPools"));
        }
        finally
        {
            Directory.Delete(data, recursive: true);
        }
    }

    [Fact]
    public async Task S3LocalStartAsync_PortTakenByAnotherEmulator_StartsOnANewPortThatAnswersS3()
    {
        await using var foreign = await ForeignEmulatorAsync();
        var install = await InstallAsync();
        var data = Directory.CreateTempSubdirectory("idrep-s3-").FullName;
        try
        {
            await using var s3 = await S3Local.StartAsync(install, data, "sandbox", ["idrep-test-bucket"], TimeProvider.System, CancellationToken.None, PortsStartingWith(foreign.Url.Port));

            Assert.NotEqual(foreign.Url.Port, s3.Port);
            using var http = new HttpClient { BaseAddress = s3.Url };
            Assert.Contains("<Name>idrep-test-bucket</Name>", await http.GetStringAsync("idrep-test-bucket"), StringComparison.Ordinal);
        }
        finally
        {
            Directory.Delete(data, recursive: true);
        }
    }

    [Fact]
    public async Task DynaliteStartAsync_PortTakenByAnotherDynalite_StartsItsOwnProcessOnANewPort()
    {
        var install = await InstallAsync();
        await using var other = await Dynalite.StartAsync(install, Path.GetTempPath(), TimeProvider.System, CancellationToken.None);

        await using var dynalite = await Dynalite.StartAsync(install, Path.GetTempPath(), TimeProvider.System, CancellationToken.None, PortsStartingWith(other.Port));

        Assert.NotEqual(other.Port, dynalite.Port);
        Assert.False(dynalite.HasExited);
        Assert.Equal((200, true), await AnswerAsync(dynalite.Url, "application/x-amz-json-1.0", "DynamoDB_20120810.ListTables", "{}", "TableNames"));
    }

    [Fact]
    public async Task DynaliteStartAsync_EveryPortTakenByAnotherEmulator_ThrowsNamingEveryPortTried()
    {
        await using var foreign = await ForeignEmulatorAsync();
        var install = await InstallAsync();
        var offered = 0;

        var error = await Assert.ThrowsAsync<EmulatorStartException>(() => Dynalite.StartAsync(
            install,
            Path.GetTempPath(),
            TimeProvider.System,
            CancellationToken.None,
            () =>
            {
                offered++;
                return foreign.Url.Port;
            }));

        Assert.Equal("dynalite", error.Emulator);
        Assert.Equal(offered, error.Ports.Count);
        Assert.True(offered is > 1 and <= 10, $"{offered} attempts");
        Assert.Contains(foreign.Url.Port.ToString(System.Globalization.CultureInfo.InvariantCulture), error.Message, StringComparison.Ordinal);
    }

    private static Task<string> InstallAsync() =>
        EmulatorPackages.EnsureInstalledAsync(NullLogger.Instance, TimeProvider.System, CancellationToken.None);

    /// <summary>Ports for a start: first the taken one, then free ones.</summary>
    private static Func<int> PortsStartingWith(int taken)
    {
        var first = true;
        return () =>
        {
            if (first)
            {
                first = false;
                return taken;
            }

            return FreePort.Next();
        };
    }

    /// <summary>Another emulator on 127.0.0.1: it answers every request the way cognito-local answers an operation it lacks.</summary>
    private static Task<LocalServer> ForeignEmulatorAsync() =>
        LocalServer.StartAsync(
            app => app.MapFallback(async context =>
            {
                context.Response.StatusCode = StatusCodes.Status500InternalServerError;
                context.Response.ContentType = "application/x-amz-json-1.1";
                await context.Response.WriteAsync("""{"__type":"CognitoLocal#Unsupported","message":"Cognito Local unsupported feature: Unsupported x-amz-target header"}""");
            }),
            CancellationToken.None);

    private static async Task<(int Status, bool Expected)> AnswerAsync(Uri url, string contentType, string target, string body, string expected)
    {
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(10) };
        using var request = new HttpRequestMessage(HttpMethod.Post, url) { Content = new ByteArrayContent(Encoding.UTF8.GetBytes(body)) };
        request.Content.Headers.ContentType = MediaTypeHeaderValue.Parse(contentType);
        request.Headers.TryAddWithoutValidation("X-Amz-Target", target);
        request.Headers.TryAddWithoutValidation("X-Amz-Date", "20261207T000000Z");
        request.Headers.TryAddWithoutValidation("Authorization", "AWS4-HMAC-SHA256 Credential=sandbox/20261207/us-east-1/dynamodb/aws4_request, SignedHeaders=host, Signature=0");
        using var response = await http.SendAsync(request);
        var text = await response.Content.ReadAsStringAsync();
        return ((int)response.StatusCode, text.Contains(expected, StringComparison.Ordinal));
    }
}
