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

    [Fact]
    public async Task Worker_WithCloudWatchNamespace_WritesEmfLinesWithTheWorkerGaugesEachInterval()
    {
        var environment = new Dictionary<string, string>
        {
            ["IDREP_Worker__CloudWatchNamespace"] = "IdentityReplicator/Test",
            ["IDREP_Worker__MetricsInterval"] = "00:00:01",
        };
        using var worker = IdrepProcess.Start(environment, "worker", "--config", fixture.Sandbox.ConfigFile);

        await Eventually.TrueAsync(() => Task.FromResult(EmfLines(worker.Output).Count >= 2), TimeSpan.FromSeconds(60), "two EMF lines on standard output");
        worker.Kill();

        var line = EmfLines(worker.Output)[^1];
        var directive = line["_aws"]!["CloudWatchMetrics"]![0]!;
        Assert.Equal("IdentityReplicator/Test", directive["Namespace"]!.GetValue<string>());
        Assert.Equal("[[\"Service\"]]", directive["Dimensions"]!.ToJsonString());
        Assert.Equal("worker", line["Service"]!.GetValue<string>());
        Assert.Contains(directive["Metrics"]!.AsArray(), m => m!["Name"]!.GetValue<string>() == "FeedBehind" && m["Unit"]!.GetValue<string>() == "Seconds");
        Assert.NotNull(line["FeedBehind"]);
        Assert.NotNull(line["ParkedNow"]);
    }

    private static List<JsonNode> EmfLines(string output) =>
        [.. output.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Where(l => l.StartsWith("{\"_aws\"", StringComparison.Ordinal))
            .Select(l => JsonNode.Parse(l)!)];

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
