using System.Net;
using System.Text.Json;
using IdentityReplicator.Sandbox.Emulators;
using IdentityReplicator.TestSupport;

namespace IdentityReplicator.Integration.Tests;

/// <summary>
/// <c>idrep health</c> exactly as the container runs it (the Dockerfile's HEALTHCHECK, which the ECS task definition
/// repeats): it must pass against a ready worker, or healthy tasks are replaced and deployments rolled back.
/// </summary>
[Collection(SandboxCollection.Name)]
public sealed class HealthCommandTests(SandboxFixture fixture)
{
    private const string ImageHealthUrl = "http://127.0.0.1:8080";

    [Fact]
    public async Task Health_ImageHealthCheckAgainstAWorker_ExitsZeroWhileReadyAndNonZeroOnceStopped()
    {
        // Arrange: the image's health check command, pointed at a worker on a free port instead of 8080.
        var port = FreePort.Next();
        var check = ImageHealthCheck().Select(a => a.Replace(ImageHealthUrl, $"http://127.0.0.1:{port}", StringComparison.Ordinal)).ToArray();
        using var worker = IdrepProcess.Start("worker", "--config", fixture.Sandbox.ConfigFile, "--health-url", $"http://127.0.0.1:{port}");
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(5) };
        await Eventually.ReturnsAsync(() => StatusAsync(http, new Uri($"http://127.0.0.1:{port}/health/ready")), s => s == HttpStatusCode.OK, TimeSpan.FromSeconds(60), "/health/ready to report ready");

        // Act
        var (whileReady, readyOutput) = await IdrepProcess.RunAsync(TimeSpan.FromSeconds(60), check);
        worker.Kill();
        var (onceStopped, stoppedOutput) = await IdrepProcess.RunAsync(TimeSpan.FromSeconds(60), check);

        // Assert
        Assert.True(whileReady == 0, $"exit {whileReady}: {readyOutput}");
        Assert.Contains("\"status\":\"ready\"", readyOutput, StringComparison.Ordinal);
        Assert.True(onceStopped != 0, $"exit {onceStopped}: {stoppedOutput}");
        Assert.Contains($"No answer from http://127.0.0.1:{port}/health/ready", stoppedOutput, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Worker_InterruptedWithCtrlC_ExitsThreeAsEveryInterruptedCommand()
    {
        // Arrange: a ready worker.
        var port = FreePort.Next();
        using var worker = IdrepProcess.Start("worker", "--config", fixture.Sandbox.ConfigFile, "--health-url", $"http://127.0.0.1:{port}");
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(5) };
        await Eventually.ReturnsAsync(() => StatusAsync(http, new Uri($"http://127.0.0.1:{port}/health/ready")), s => s == HttpStatusCode.OK, TimeSpan.FromSeconds(60), "/health/ready to report ready");

        // Act
        await worker.InterruptAsync();
        await worker.WaitForExitAsync(TimeSpan.FromSeconds(60));

        // Assert
        Assert.True(worker.ExitCode == 3, $"exit {worker.ExitCode}: {worker.Output}");
    }

    [Fact]
    public void ImageHealthCheck_IsIdrepHealthOnTheImagesHealthUrl()
    {
        // Act / Assert: the same command the CDK's task definition runs (see Cdk.Tests).
        Assert.Equal(["health", "--url", $"{ImageHealthUrl}/health/ready"], ImageHealthCheck());
    }

    /// <summary>The arguments after <c>dotnet idrep.dll</c> of the Dockerfile's <c>HEALTHCHECK … CMD [...]</c>.</summary>
    private static string[] ImageHealthCheck()
    {
        var line = File.ReadLines(IdrepProcess.RepositoryFile("Dockerfile")).Single(l => l.StartsWith("HEALTHCHECK", StringComparison.Ordinal));
        var command = JsonSerializer.Deserialize<string[]>(line[(line.IndexOf("CMD ", StringComparison.Ordinal) + 4)..])!;
        Assert.Equal(["dotnet", "idrep.dll"], command[..2]);
        return command[2..];
    }

    private static async Task<HttpStatusCode> StatusAsync(HttpClient http, Uri url)
    {
        try
        {
            using var response = await http.GetAsync(url);
            return response.StatusCode;
        }
        catch (Exception e) when (e is HttpRequestException or TaskCanceledException)
        {
            return 0;
        }
    }
}
