using IdentityReplicator.Core.PoolConfiguration;
using IdentityReplicator.Reconciler.Drift;
using IdentityReplicator.Reconciler.Drift.Formats;

namespace IdentityReplicator.Reconciler.Tests.Drift;

/// <summary>A drift report in native mode carries the canary (lag last/p50/p99, staleness) and the replica's Regional settings in every format.</summary>
public sealed class NativeReplicaHeaderTests
{
    private static readonly NativeReplicaSection Native = new(
        new NativeCanaryFigures(12, 412, 350, 980, false, "caught up: the last canary arrived 0.4 s ago"),
        [
            new ConfigFinding(ConfigFindingKind.Differs, "replica", "LambdaConfig/PreSignUp", "should be 'arn:aws:lambda:eu-central-1:1:function:a'; the replica has 'arn:aws:lambda:eu-central-1:1:function:wrong'"),
            new ConfigFinding(ConfigFindingKind.ReportOnly, "replica", "WebACL", "check with WAFv2 GetWebACLForResource"),
        ],
        null);

    [Theory]
    [InlineData(DriftFormat.Json)]
    [InlineData(DriftFormat.Md)]
    [InlineData(DriftFormat.Html)]
    [InlineData(DriftFormat.Text)]
    public void Render_NativeSection_ShowsTheCanaryFiguresAndTheRegionalDifference(DriftFormat format)
    {
        var rendered = DriftFormats.Render(Report() with { Native = Native }, format);

        Assert.Contains("412", rendered, StringComparison.Ordinal);
        Assert.Contains("350", rendered, StringComparison.Ordinal);
        Assert.Contains("980", rendered, StringComparison.Ordinal);
        Assert.Contains("caught up", rendered, StringComparison.Ordinal);
        Assert.Contains("LambdaConfig/PreSignUp", rendered, StringComparison.Ordinal);
        Assert.Contains("function:wrong", rendered, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(DriftFormat.Md)]
    [InlineData(DriftFormat.Html)]
    [InlineData(DriftFormat.Text)]
    public void Render_StaleCanary_SaysStale(DriftFormat format)
    {
        var stale = Native with { Canary = Native.Canary! with { Stale = true, Reason = "stale: no canary has arrived at the replica for 400.0 s" } };

        var rendered = DriftFormats.Render(Report() with { Native = stale }, format);

        Assert.Contains("stale", rendered, StringComparison.Ordinal);
        Assert.Contains("400.0 s", rendered, StringComparison.Ordinal);
    }

    [Fact]
    public void RemainingDifferences_NoConfigurationSection_CountsTheReplicasRegionalDifferences()
    {
        Assert.Equal(1, DriftReportService.RemainingDifferences(Report() with { Native = Native }));
    }

    private static DriftReport Report() => new()
    {
        GeneratedAt = new DateTimeOffset(2026, 12, 8, 1, 0, 0, TimeSpan.Zero),
        Source = new ReportedPool("eu-west-1", "eu-west-1_AbC123", 3, 0),
        Target = new ReportedPool("eu-central-1", "eu-west-1_AbC123", 3, 0),
        Summary = new DriftSummary { UsersCompared = 3 },
        Differences = [],
        Parked = [],
    };
}
