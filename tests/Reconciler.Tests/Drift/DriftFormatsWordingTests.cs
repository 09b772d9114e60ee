using System.Text.RegularExpressions;
using IdentityReplicator.Reconciler.Drift;
using IdentityReplicator.Reconciler.Drift.Formats;

namespace IdentityReplicator.Reconciler.Tests.Drift;

/// <summary>
/// What people read in the drift formats (issue 16, item 7): an in-sync HTML page is one clear statement and the counts
/// that matter, not a wall of zeros and an empty search; counts of one are singular.
/// </summary>
public sealed partial class DriftFormatsWordingTests
{
    [Fact]
    public void Render_HtmlInSync_SaysSoOnceWithoutZeroCountersChartOrSearchableTable()
    {
        var html = DriftFormats.Render(DriftReportServiceTests.Report(differences: 0), DriftFormat.Html);

        Assert.Contains("id=\"in-sync\"", html, StringComparison.Ordinal);
        Assert.Contains("In sync: 10 users and 2 groups agree.", html, StringComparison.Ordinal);
        Assert.DoesNotContain("<b>0</b>", html, StringComparison.Ordinal);
        Assert.DoesNotContain("id=\"chart\"", html, StringComparison.Ordinal);
        Assert.DoesNotContain("id=\"search\"", html, StringComparison.Ordinal);
        Assert.DoesNotContain("id=\"differences\"", html, StringComparison.Ordinal);
        Assert.Contains("<b>10</b>users compared", html, StringComparison.Ordinal);
    }

    [Fact]
    public void Render_HtmlInSyncWithParkedAndMirrorBehind_ShowsThoseCountsAndTheParkedTable()
    {
        var report = DriftReportServiceTests.Report(differences: 0) is var r
            ? r with
            {
                Summary = r.Summary with { Parked = 1, MirrorBehind = 3 },
                Parked = [new ParkedItem("user#user-7", "user-7", null, null, "SchemaMismatch", "custom:tier", r.GeneratedAt)],
            }
            : throw new InvalidOperationException();

        var html = DriftFormats.Render(report, DriftFormat.Html);

        Assert.Contains("id=\"in-sync\"", html, StringComparison.Ordinal);
        Assert.Contains("<b>1</b>parked", html, StringComparison.Ordinal);
        Assert.Contains("<b>3</b>mirror behind", html, StringComparison.Ordinal);
        Assert.Contains("id=\"parked\"", html, StringComparison.Ordinal);
        Assert.DoesNotContain("<b>0</b>", html, StringComparison.Ordinal);
    }

    [Fact]
    public void Render_HtmlWithDifferences_KeepsTheChartAndTheSearchableTable()
    {
        var html = DriftFormats.Render(DriftReportServiceTests.Report(differences: 2), DriftFormat.Html);

        Assert.Contains("id=\"chart\"", html, StringComparison.Ordinal);
        Assert.Contains("id=\"search\"", html, StringComparison.Ordinal);
        Assert.DoesNotContain("id=\"in-sync\"", html, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(DriftFormat.Text)]
    [InlineData(DriftFormat.Md)]
    [InlineData(DriftFormat.Html)]
    public void Render_CountsOfOne_AreSingular(DriftFormat format)
    {
        var one = DriftReportServiceTests.Report(differences: 1, remainingAfterRepair: 1) is var r
            ? r with { Source = r.Source with { Users = 1, Groups = 1 }, Summary = r.Summary with { MirrorBehind = 1, MirrorAbsent = 1 } }
            : throw new InvalidOperationException();
        var inSync = DriftReportServiceTests.Report(differences: 0) is var s
            ? s with { Source = s.Source with { Users = 1, Groups = 1 }, Summary = s.Summary with { UsersCompared = 1 } }
            : throw new InvalidOperationException();

        var rendered = DriftFormats.Render(one, format) + DriftFormats.Render(inSync, format);

        Assert.Empty(OneThenPlural().Matches(rendered));
    }

    // "1 differences", "1 users", "1 groups"...: a count of one followed by a plural noun.
    [GeneratedRegex(@"\b1 (differences|users|groups|changes|entities)\b")]
    private static partial Regex OneThenPlural();
}
