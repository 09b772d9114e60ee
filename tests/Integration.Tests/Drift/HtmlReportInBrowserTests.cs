using System.Collections.Immutable;
using System.Text.RegularExpressions;
using IdentityReplicator.Reconciler.Drift;
using IdentityReplicator.Reconciler.Drift.Formats;
using IdentityReplicator.TestSupport;

namespace IdentityReplicator.Integration.Tests.Drift;

/// <summary>The HTML report as a person sees it: rendered by headless Chromium, scripts run.</summary>
public sealed partial class HtmlReportInBrowserTests : IDisposable
{
    private readonly DirectoryInfo _folder = Directory.CreateTempSubdirectory("idrep-html-");

    [Fact]
    public async Task HtmlReport_OpenedInChromium_ShowsHeadlineChartAndRowsAndFiltersBySearch()
    {
        var page = Path.Combine(_folder.FullName, "drift.html");
        await File.WriteAllTextAsync(page, DriftFormats.Render(Report(), DriftFormat.Html));
        var url = new Uri(page).AbsoluteUri;

        var dom = await Chromium.DumpDomAsync(url);

        Assert.Contains("4 differences between the pools.", dom, StringComparison.Ordinal);
        Assert.Contains("class=\"banner drift\"", dom, StringComparison.Ordinal);
        Assert.Equal(9, BarPattern().Matches(dom).Count);
        Assert.Matches("<rect class=\"bar\" data-kind=\"userMissing\"[^>]*width=\"360\"", dom);
        Assert.Contains("4 of 4 shown", dom, StringComparison.Ordinal);
        Assert.Contains("&lt;img src=x&gt;", dom, StringComparison.Ordinal);
        Assert.DoesNotContain("<img src=x>", dom, StringComparison.Ordinal);

        var filtered = await Chromium.DumpDomAsync(url + "#q=sub-bravo");

        Assert.Contains("1 of 4 shown", filtered, StringComparison.Ordinal);
        Assert.Equal(3, HiddenRowPattern().Matches(filtered).Count);

        var png = Path.Combine(_folder.FullName, "drift.png");
        await Chromium.ScreenshotAsync(url, png);
        Assert.True(new FileInfo(png).Length > 10_000, "the screenshot should show a rendered page");
    }

    [Fact]
    public async Task HtmlReport_InSync_ShowsTheGreenBannerAndTheCountsWithoutAnEmptyTable()
    {
        var page = Path.Combine(_folder.FullName, "ok.html");
        await File.WriteAllTextAsync(page, DriftFormats.Render(Report() with { Differences = [], Summary = new DriftSummary { UsersCompared = 12 } }, DriftFormat.Html));

        var dom = await Chromium.DumpDomAsync(new Uri(page).AbsoluteUri);

        Assert.Contains("In sync: 12 users and 2 groups agree.", dom, StringComparison.Ordinal);
        Assert.Contains("class=\"banner ok\"", dom, StringComparison.Ordinal);
        Assert.Contains("id=\"in-sync\"", dom, StringComparison.Ordinal);
        Assert.DoesNotContain("id=\"search\"", dom, StringComparison.Ordinal);
        Assert.DoesNotContain("id=\"chart\"", dom, StringComparison.Ordinal);
    }

    public void Dispose() => _folder.Delete(recursive: true);

    private static DriftReport Report() => new()
    {
        GeneratedAt = new DateTimeOffset(2025, 6, 1, 3, 0, 0, TimeSpan.Zero),
        Source = new ReportedPool("us-east-1", "us-east-1_Primary1", 12, 2),
        Target = new ReportedPool("us-west-2", "us-west-2_Standby1", 11, 2),
        Summary = new DriftSummary { Differences = 4, UsersCompared = 12, UsersMissing = 2, AttributeDifferences = 1, GroupsMissing = 1 },
        Differences =
        [
            new DriftItem { Kind = DriftKind.UserMissing, Username = "alpha", Sub = "sub-alpha", Mirror = MirrorState.Current },
            new DriftItem { Kind = DriftKind.UserMissing, Username = "bravo", Sub = "sub-bravo", Mirror = MirrorState.Behind },
            new DriftItem { Kind = DriftKind.Attributes, Username = "charlie", Sub = "sub-charlie", Fields = ImmutableArray.Create(new FieldDifference("custom:tier")) },
            new DriftItem { Kind = DriftKind.GroupMissing, Group = "<img src=x>" },
        ],
        Parked = [],
    };

    [GeneratedRegex("<rect class=\"bar\"")]
    private static partial Regex BarPattern();

    [GeneratedRegex("<tr data-kind=\"[a-zA-Z]+\" style=\"display: none;\"")]
    private static partial Regex HiddenRowPattern();
}
