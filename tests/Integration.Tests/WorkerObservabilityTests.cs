using System.Net;
using System.Text.Json;
using System.Text.Json.Nodes;
using IdentityReplicator.Core.Cognito;
using IdentityReplicator.Sandbox.Emulators;
using IdentityReplicator.TestSupport;

namespace IdentityReplicator.Integration.Tests;

/// <summary>The worker as a container runs it: JSON logs without personal data, and a health endpoint.</summary>
[Collection(SandboxCollection.Name)]
public sealed class WorkerObservabilityTests(SandboxFixture fixture)
{
    [Fact]
    public async Task Worker_WithHealthUrlAndJsonLogs_BecomesReadyAndLogsJsonWithoutPersonalData()
    {
        var port = FreePort.Next();
        using var worker = IdrepProcess.Start("worker", "--config", fixture.Sandbox.ConfigFile, "--health-url", $"http://127.0.0.1:{port}", "--log-format", "json", "--verbose");
        using var http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}/"), Timeout = TimeSpan.FromSeconds(5) };

        var live = await Eventually.ReturnsAsync(() => StatusAsync(http, "health/live"), s => s == HttpStatusCode.OK, TimeSpan.FromSeconds(60), "/health/live to answer");
        await Eventually.ReturnsAsync(() => StatusAsync(http, "health/ready"), s => s == HttpStatusCode.OK, TimeSpan.FromSeconds(60), "/health/ready to report ready");
        var email = $"observed-{Guid.NewGuid():N}@example.com";
        await fixture.Sandbox.Client(fixture.Sandbox.Primary).AdminCreateUserAsync(new AdminCreateUserRequest
        {
            UserPoolId = fixture.Sandbox.Primary.UserPoolId,
            Username = email,
            UserAttributes = [new AttributeType("email", email)],
            MessageAction = "SUPPRESS",
        });
        await Eventually.TrueAsync(() => Task.FromResult(worker.Output.Contains("Applied user:", StringComparison.Ordinal)), TimeSpan.FromSeconds(30), "the worker to log an applied user");
        worker.Kill();

        Assert.Equal(HttpStatusCode.OK, live);
        var lines = worker.Output.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        Assert.NotEmpty(lines);
        Assert.All(lines, line =>
        {
            var entry = JsonNode.Parse(line);
            Assert.NotNull(entry?["Timestamp"]);
            Assert.NotNull(entry?["Category"]);
        });
        Assert.DoesNotContain(email, worker.Output, StringComparison.OrdinalIgnoreCase);
    }

    private static async Task<HttpStatusCode> StatusAsync(HttpClient http, string path)
    {
        try
        {
            using var response = await http.GetAsync(path);
            return response.StatusCode;
        }
        catch (Exception e) when (e is HttpRequestException or TaskCanceledException or JsonException)
        {
            return 0;
        }
    }
}
