using System.Text.Json.Nodes;
using Amazon.S3;
using Amazon.S3.Model;
using IdentityReplicator.Core.Cognito;
using IdentityReplicator.Reconciler.Drift;
using IdentityReplicator.Reconciler.Drift.Storage;
using IdentityReplicator.Sandbox;
using IdentityReplicator.TestSupport;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Xunit.Abstractions;

namespace IdentityReplicator.Integration.Tests.Drift;

/// <summary>A sandbox with its local S3 (s3rver) and a few users, shared by the tests of scheduled reports in S3.</summary>
public sealed class S3SandboxFixture : IAsyncLifetime
{
    public SandboxEnvironment Sandbox { get; private set; } = null!;

    public TimeSpan StartTime { get; private set; }

    public async Task InitializeAsync()
    {
        var started = TimeProvider.System.GetTimestamp();
        Sandbox = await TestSandbox.StartAsync(new SandboxOptions { S3 = true });
        StartTime = TimeProvider.System.GetElapsedTime(started);
        for (var i = 0; i < 3; i++)
        {
            await SandboxPools.CreateUserAsync(Sandbox, Sandbox.Primary, $"s3-report-{i}@example.com");
        }
    }

    public async Task DisposeAsync()
    {
        if (Sandbox is not null)
        {
            await Sandbox.DisposeAsync();
        }
    }

    /// <summary>A client of the sandbox's S3, as the tool builds it (path style, sandbox credentials).</summary>
    public AmazonS3Client S3() => S3ReportStore.CreateClient(SandboxEnvironment.Credentials, Sandbox.Standby.Region, Sandbox.S3Endpoint!.ToString());

    /// <summary>Every key in the report bucket.</summary>
    public async Task<List<string>> KeysAsync()
    {
        using var s3 = S3();
        var listing = await s3.ListObjectsV2Async(new ListObjectsV2Request { BucketName = SandboxEnvironment.ReportBucket });
        return [.. (listing.S3Objects ?? []).Select(o => o.Key)];
    }
}

/// <summary>Scheduled drift reports stored in S3: the key layout, the content types and the JSON, read back from a real S3 API.</summary>
public sealed class DriftReportsInS3Tests(S3SandboxFixture fixture, ITestOutputHelper output) : IClassFixture<S3SandboxFixture>
{
    [Fact]
    public async Task RunOnceAsync_OutputBucketSet_WritesJsonAndHtmlUnderThePrefixByDay()
    {
        output.WriteLine($"sandbox with S3 started in {fixture.StartTime.TotalMilliseconds:0} ms");
        var sandbox = fixture.Sandbox;
        await using var services = sandbox.Tools();
        await services.SyncAsync();

        var report = await services.GetRequiredService<DriftReportService>().RunOnceAsync(CancellationToken.None);

        var stem = $"drift-reports/{report.GeneratedAt.UtcDateTime:yyyy'/'MM'/'dd}/{ReportNames.Stem(report.GeneratedAt)}";
        var keys = await fixture.KeysAsync();
        Assert.Contains(stem + ".json", keys);
        Assert.Contains(stem + ".html", keys);
        using var s3 = fixture.S3();
        using var json = await s3.GetObjectAsync(SandboxEnvironment.ReportBucket, stem + ".json");
        Assert.Equal("application/json; charset=utf-8", json.Headers.ContentType);
        var stored = JsonNode.Parse(await new StreamReader(json.ResponseStream).ReadToEndAsync())!;
        Assert.Equal(DriftReport.SchemaName, stored["schema"]!.GetValue<string>());
        Assert.True(stored["summary"]!["inSync"]!.GetValue<bool>());
        Assert.Equal(3, stored["primary"]!["users"]!.GetValue<int>());
        using var html = await s3.GetObjectAsync(SandboxEnvironment.ReportBucket, stem + ".html");
        Assert.Equal("text/html; charset=utf-8", html.Headers.ContentType);
        Assert.StartsWith("<!DOCTYPE html>", await new StreamReader(html.ResponseStream).ReadToEndAsync(), StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task RunOnceAsync_BucketMissing_FailsNamingTheSettingAndTheFix()
    {
        await using var services = fixture.Sandbox.Tools(new Dictionary<string, string?> { ["Drift:OutputBucket"] = "no-such-bucket-here" });

        var error = await Assert.ThrowsAsync<ReportStoreException>(() => services.GetRequiredService<DriftReportService>().RunOnceAsync(CancellationToken.None));

        Assert.Contains("'no-such-bucket-here' (Drift:OutputBucket) does not exist", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task DriftPublish_ConfiguredByEnvironmentOnly_StoresTheReportAndWritesOneEmfLine()
    {
        var sandbox = fixture.Sandbox;
        await using (var services = sandbox.Tools())
        {
            await services.SyncAsync();
        }

        var (exit, output) = await IdrepProcess.RunAsync(TimeSpan.FromSeconds(120), EnvironmentOf(sandbox, "IdentityReplicator/Test"), "drift", "--publish");

        Assert.True(exit == 0, output);
        var stored = output.Split('\n').Single(l => l.Contains("Report stored at", StringComparison.Ordinal));
        var jsonKey = stored[(stored.IndexOf("s3://", StringComparison.Ordinal) + $"s3://{SandboxEnvironment.ReportBucket}/".Length)..].Split(',')[0].Trim();
        Assert.StartsWith("drift-reports/", jsonKey, StringComparison.Ordinal);
        Assert.Contains(jsonKey, await fixture.KeysAsync());
        var emf = JsonNode.Parse(Assert.Single(output.Split('\n'), l => l.StartsWith("{\"_aws\"", StringComparison.Ordinal)))!;
        var directive = emf["_aws"]!["CloudWatchMetrics"]![0]!;
        Assert.Equal("IdentityReplicator/Test", directive["Namespace"]!.GetValue<string>());
        Assert.Equal("[[\"Service\"]]", directive["Dimensions"]!.ToJsonString());
        Assert.Equal("worker", emf["Service"]!.GetValue<string>());
        Assert.Equal(1, emf["DriftRuns"]!.GetValue<double>());
        Assert.Equal(0, emf["DriftDifferences"]!.GetValue<double>());
    }

    [Fact]
    public async Task DriftPublish_StandbyHasAUserThePrimaryLacks_ExitsWithOneAndCountsTheDifference()
    {
        var sandbox = fixture.Sandbox;
        var extra = $"standby-only-{Guid.NewGuid():N}@example.com";
        await SandboxPools.CreateUserAsync(sandbox, sandbox.Standby, extra);
        try
        {
            var (exit, output) = await IdrepProcess.RunAsync(TimeSpan.FromSeconds(120), EnvironmentOf(sandbox, "IdentityReplicator/Test"), "drift", "--publish");

            Assert.True(exit == 1, output);
            var emf = JsonNode.Parse(Assert.Single(output.Split('\n'), l => l.StartsWith("{\"_aws\"", StringComparison.Ordinal)))!;
            Assert.True(emf["DriftDifferences"]!.GetValue<double>() >= 1);
            Assert.DoesNotContain(extra, output, StringComparison.OrdinalIgnoreCase);
        }
        finally
        {
            await sandbox.Client(sandbox.Standby).AdminDeleteUserAsync(new AdminDeleteUserRequest(sandbox.Standby.UserPoolId, extra));
        }
    }

    /// <summary>The sandbox's config file as <c>IDREP_</c> environment variables (what an ECS task definition sets).</summary>
    private static Dictionary<string, string> EnvironmentOf(SandboxEnvironment sandbox, string? cloudWatchNamespace)
    {
        var environment = sandbox.Configuration().AsEnumerable()
            .Where(e => e.Value is not null)
            .ToDictionary(e => "IDREP_" + e.Key.Replace(":", "__", StringComparison.Ordinal), e => e.Value!);
        if (cloudWatchNamespace is not null)
        {
            environment["IDREP_Worker__CloudWatchNamespace"] = cloudWatchNamespace;
        }

        return environment;
    }
}
