using System.Xml.Linq;
using IdentityReplicator.Core.Configuration;
using IdentityReplicator.Failover.Execution;
using IdentityReplicator.Failover.Preflight;
using IdentityReplicator.Failover.Reports;
using Microsoft.Extensions.Logging.Abstractions;

namespace IdentityReplicator.Failover.Tests.Execution;

public sealed class RunReportTests
{
    [Fact]
    public async Task SaveAsync_SucceededDrill_WritesJsonMarkdownAndHtmlWithATimelineBarPerStep()
    {
        var env = new FakeEnvironment();
        var result = await new FailoverRunner(env.Plan, env.Ports(), TimeProvider.System, NullLogger.Instance).StartAsync(RunKind.Drill, new RunOptions(), CancellationToken.None);
        var folder = Directory.CreateTempSubdirectory("idrep-report-").FullName;
        try
        {
            var files = await RunReport.SaveAsync(result, env.Plan, folder, CancellationToken.None);

            var json = System.Text.Json.Nodes.JsonNode.Parse(await File.ReadAllTextAsync(files.Json))!;
            Assert.Equal(result.Run.RtoSeconds, (double?)json["rtoSeconds"]);
            Assert.Equal(0, (double?)json["rpoEstimateSeconds"]);
            Assert.Equal(Steps.FailoverStep.All().Count, json["steps"]!.AsArray().Count);
            var markdown = await File.ReadAllTextAsync(files.Markdown);
            Assert.Contains("| RTO (start → verified) |", markdown, StringComparison.Ordinal);
            Assert.Contains("| dns | Succeeded |", markdown, StringComparison.Ordinal);
            var html = await File.ReadAllTextAsync(files.Html);
            var svg = XElement.Parse(html[html.IndexOf("<svg", StringComparison.Ordinal)..(html.IndexOf("</svg>", StringComparison.Ordinal) + 6)]);
            Assert.Equal(Steps.FailoverStep.All().Count, svg.Descendants().Count(e => e.Name.LocalName == "rect" && (string?)e.Attribute("class") == "bar"));
            Assert.Contains("id=\"rto\"", html, StringComparison.Ordinal);
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    [Fact]
    public void DefaultFolder_AnyPlan_IsFailoverReportsInTheCurrentFolderSoReportsOutliveTheSandbox()
    {
        Assert.Equal(Path.Combine(Environment.CurrentDirectory, "failover-reports"), RunReport.DefaultFolder());
    }

    [Fact]
    public void ToHtmlAndToMarkdown_RunStoppedByPreflight_ShowTheReasonAndTheChecksWithoutAnEmptyTimelineOrStepsTable()
    {
        // Arrange: a drill refused by a failed check, before its first step.
        var env = new FakeEnvironment();
        var run = new Journal.RunRecord
        {
            RunId = "20261207-051223-026c",
            Kind = "drill",
            Environment = "sandbox",
            From = PoolRole.Primary,
            To = PoolRole.Standby,
            PlanHash = "x",
            StartedAt = TimeProvider.System.GetUtcNow(),
            State = Journal.RunState.Failed,
        };
        var result = new RunResult(run, [], [new CheckResult("standby-drift", false, "3 of 20 sampled users differ")], "Preflight failed: standby-drift.");

        // Act
        var html = RunReport.ToHtml(result, env.Plan);
        var markdown = RunReport.ToMarkdown(result, env.Plan);

        // Assert
        Assert.Contains("Preflight failed: standby-drift.", html, StringComparison.Ordinal);
        Assert.Contains("3 of 20 sampled users differ", html, StringComparison.Ordinal);
        Assert.DoesNotContain("<svg", html, StringComparison.Ordinal);
        Assert.DoesNotContain("<h2>Steps</h2>", html, StringComparison.Ordinal);
        Assert.Contains("No step ran", html, StringComparison.Ordinal);
        Assert.Contains("3 of 20 sampled users differ", markdown, StringComparison.Ordinal);
        Assert.DoesNotContain("## Steps", markdown, StringComparison.Ordinal);
        Assert.Contains("No step ran", markdown, StringComparison.Ordinal);
    }

    [Fact]
    public void ToHtml_UserTextInDetails_IsEscaped()
    {
        var env = new FakeEnvironment();
        var run = new Journal.RunRecord
        {
            RunId = "r1",
            Kind = "drill",
            Environment = "<script>",
            From = PoolRole.Primary,
            To = PoolRole.Standby,
            PlanHash = "x",
            StartedAt = TimeProvider.System.GetUtcNow(),
        };

        var html = RunReport.ToHtml(new RunResult(run, [new Journal.StepRecord { Name = "dns", Detail = "<b>x</b>" }], [], "<img>"), env.Plan);

        Assert.DoesNotContain("<script>", html, StringComparison.Ordinal);
        Assert.DoesNotContain("<b>x</b>", html, StringComparison.Ordinal);
        Assert.DoesNotContain("<img>", html, StringComparison.Ordinal);
    }
}
