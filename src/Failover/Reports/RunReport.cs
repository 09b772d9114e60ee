using System.Globalization;
using System.Net;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using IdentityReplicator.Core.Configuration;
using IdentityReplicator.Failover.Execution;
using IdentityReplicator.Failover.Journal;
using IdentityReplicator.Failover.Journeys;
using IdentityReplicator.Failover.Plans;

namespace IdentityReplicator.Failover.Reports;

/// <summary>Where a run's report was saved.</summary>
public sealed record ReportFiles(string Json, string Markdown, string Html);

/// <summary>
/// A run's report, for machines (JSON, also the CLI's <c>--json</c> line), for pull requests (Markdown) and for
/// people (HTML with a timeline chart of the steps). Saved per run under a reports folder.
/// </summary>
public static class RunReport
{
    public static JsonObject ToJson(RunResult result, FailoverPlan plan, ReportFiles? files = null)
    {
        var run = result.Run;
        var json = new JsonObject
        {
            ["runId"] = run.RunId,
            ["kind"] = run.Kind,
            ["environment"] = run.Environment,
            ["from"] = run.From.Name(),
            ["to"] = run.To.Name(),
            ["fromPool"] = plan.Pools.For(run.From).UserPoolId,
            ["toPool"] = plan.Pools.For(run.To).UserPoolId,
            ["state"] = run.State.ToString(),
            ["succeeded"] = result.Succeeded,
            ["attempts"] = run.Attempts,
            ["startedAt"] = Time(run.StartedAt),
            ["endedAt"] = run.EndedAt is { } e ? Time(e) : null,
            ["rtoSeconds"] = run.RtoSeconds,
            ["rpoEstimateSeconds"] = run.RpoEstimateSeconds,
            ["rpo"] = new JsonObject
            {
                ["identitySeconds"] = result.IdentityRpoSeconds,
                ["unappliedChangesAtFence"] = result.UnappliedAtFence,
                ["databaseLagSeconds"] = result.DatabaseLagSeconds,
                ["database"] = DatabaseRpo(plan),
            },
            ["failure"] = result.Failure,
            ["checks"] = new JsonArray([.. result.Checks.Select(c => (JsonNode)new JsonObject
            {
                ["name"] = c.Name,
                ["passed"] = c.Passed,
                ["forced"] = c.Forced,
                ["detail"] = c.Detail,
            })]),
            ["steps"] = new JsonArray([.. result.Steps.Select(s => (JsonNode)new JsonObject
            {
                ["name"] = s.Name,
                ["state"] = s.State.ToString(),
                ["alreadyDone"] = s.AlreadyDone,
                ["attempts"] = s.Attempts,
                ["startedAt"] = s.StartedAt is { } st ? Time(st) : null,
                ["endedAt"] = s.EndedAt is { } en ? Time(en) : null,
                ["seconds"] = s.Seconds is { } sec ? Math.Round(sec, 3) : null,
                ["detail"] = s.Detail,
            })]),
        };
        json["journeys"] = new JsonArray([.. result.Journeys.Select(j => (JsonNode)JourneyRecords.ToJson(j))]);
        if (files is not null)
        {
            json["reports"] = new JsonObject { ["json"] = files.Json, ["markdown"] = files.Markdown, ["html"] = files.Html };
        }

        return json;
    }

    public static string ToMarkdown(RunResult result, FailoverPlan plan)
    {
        var run = result.Run;
        var md = new StringBuilder();
        md.AppendLine(CultureInfo.InvariantCulture, $"# Failover {run.Kind} {run.RunId} — {run.Environment}");
        md.AppendLine();
        md.AppendLine(CultureInfo.InvariantCulture, $"**{run.From.Name()} ({plan.Pools.For(run.From).UserPoolId}, {plan.Region(run.From)}) → {run.To.Name()} ({plan.Pools.For(run.To).UserPoolId}, {plan.Region(run.To)})**: {run.State}{(run.Attempts > 1 ? $" after {run.Attempts} attempts" : string.Empty)}");
        md.AppendLine();
        md.AppendLine("| measure | value |");
        md.AppendLine("|---|---|");
        md.AppendLine(CultureInfo.InvariantCulture, $"| RTO (start → verified) | {Seconds(run.RtoSeconds)} |");
        md.AppendLine(CultureInfo.InvariantCulture, $"| RPO estimate (the larger of the identity and, if unplanned, the database loss) | {Seconds(run.RpoEstimateSeconds)} |");
        md.AppendLine(CultureInfo.InvariantCulture, $"| identity: replication lag at the fence | {Seconds(result.IdentityRpoSeconds)} |");
        md.AppendLine(CultureInfo.InvariantCulture, $"| changes unapplied at the fence | {result.UnappliedAtFence?.ToString(CultureInfo.InvariantCulture) ?? "—"} |");
        md.AppendLine(CultureInfo.InvariantCulture, $"| database | {DatabaseRpo(plan)}; replica lag at promotion {Seconds(result.DatabaseLagSeconds)} |");
        if (result.Failure is not null)
        {
            md.AppendLine();
            md.AppendLine(CultureInfo.InvariantCulture, $"> **Failed:** {result.Failure}");
        }

        if (result.Checks.Count > 0)
        {
            md.AppendLine();
            md.AppendLine("## Preflight");
            md.AppendLine();
            md.AppendLine("| check | result | detail |");
            md.AppendLine("|---|---|---|");
            foreach (var check in result.Checks)
            {
                md.AppendLine(CultureInfo.InvariantCulture, $"| {check.Name} | {(check.Passed ? "passed" : check.Forced ? "failed (forced)" : "failed")} | {Cell(check.Detail)} |");
            }
        }

        md.AppendLine();
        if (result.Steps.Count == 0)
        {
            // Stopped before its first step (a preflight check, a refusal): the checks and the reason say it all.
            md.AppendLine("No step ran: the run stopped before its first step; nothing was changed.");
            return md.ToString();
        }

        if (result.Journeys.Count > 0)
        {
            md.AppendLine("## Journeys");
            md.AppendLine();
            md.AppendLine("| journey | result | seconds | detail |");
            md.AppendLine("|---|---|---|---|");
            foreach (var journey in result.Journeys)
            {
                md.AppendLine(CultureInfo.InvariantCulture, $"| {journey.Name} | {(journey.Passed ? "passed" : "failed")} | {JourneyRecords.Seconds(journey)} | {Cell(journey.Detail)} |");
            }

            md.AppendLine();
        }

        md.AppendLine("## Steps");
        md.AppendLine();
        md.AppendLine("| step | result | started | seconds | detail |");
        md.AppendLine("|---|---|---|---|---|");
        foreach (var step in result.Steps)
        {
            md.AppendLine(CultureInfo.InvariantCulture, $"| {step.Name} | {step.State}{(step.AlreadyDone ? " (already done)" : string.Empty)} | {(step.StartedAt is { } s ? $"+{(s - run.StartedAt).TotalSeconds:0.00} s" : "—")} | {(step.Seconds is { } sec ? sec.ToString("0.00", CultureInfo.InvariantCulture) : "—")} | {Cell(step.Detail ?? string.Empty)} |");
        }

        return md.ToString();
    }

    public static string ToHtml(RunResult result, FailoverPlan plan)
    {
        var run = result.Run;
        var end = result.Steps.Select(s => s.EndedAt).Append(run.EndedAt).OfType<DateTimeOffset>().DefaultIfEmpty(run.StartedAt).Max();
        var total = Math.Max(0.001, (end - run.StartedAt).TotalSeconds);
        const int left = 170, width = 640, rowHeight = 30;
        var svg = new StringBuilder();
        var height = (result.Steps.Count * rowHeight) + 40;
        svg.Append(CultureInfo.InvariantCulture, $"<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"{left + width + 80}\" height=\"{height}\" role=\"img\" aria-label=\"Timeline of the steps\">");
        for (var tick = 0; tick <= 4; tick++)
        {
            var x = left + (width * tick / 4.0);
            svg.Append(CultureInfo.InvariantCulture, $"<line x1=\"{x:0.#}\" y1=\"0\" x2=\"{x:0.#}\" y2=\"{height - 20}\" stroke=\"#ddd\"/><text x=\"{x:0.#}\" y=\"{height - 5}\" font-size=\"11\" text-anchor=\"middle\" fill=\"#555\">{total * tick / 4:0.0} s</text>");
        }

        for (var i = 0; i < result.Steps.Count; i++)
        {
            var step = result.Steps[i];
            var y = (i * rowHeight) + 6;
            svg.Append(CultureInfo.InvariantCulture, $"<text x=\"{left - 8}\" y=\"{y + 15}\" font-size=\"13\" text-anchor=\"end\">{Html(step.Name)}</text>");
            if (step.StartedAt is { } s)
            {
                var x = left + (width * Math.Max(0, (s - run.StartedAt).TotalSeconds) / total);
                var w = Math.Max(2, width * (step.Seconds ?? 0) / total);
                var colour = step.State switch
                {
                    StepState.Succeeded when step.AlreadyDone => "#9ecae1",
                    StepState.Succeeded => "#31a354",
                    StepState.Failed => "#de2d26",
                    _ => "#fdae6b",
                };
                svg.Append(CultureInfo.InvariantCulture, $"<rect class=\"bar\" x=\"{x:0.#}\" y=\"{y}\" width=\"{w:0.#}\" height=\"20\" rx=\"3\" fill=\"{colour}\"><title>{Html(step.Name)}: {step.Seconds ?? 0:0.00} s</title></rect>");
                svg.Append(CultureInfo.InvariantCulture, $"<text x=\"{x + w + 6:0.#}\" y=\"{y + 15}\" font-size=\"11\" fill=\"#333\">{step.Seconds ?? 0:0.00} s</text>");
            }
        }

        svg.Append("</svg>");
        var rows = new StringBuilder();
        foreach (var step in result.Steps)
        {
            rows.Append(CultureInfo.InvariantCulture, $"<tr><td>{Html(step.Name)}</td><td class=\"{step.State.ToString().ToLowerInvariant()}\">{step.State}{(step.AlreadyDone ? " (already done)" : string.Empty)}</td><td>{(step.Seconds is { } sec ? sec.ToString("0.00", CultureInfo.InvariantCulture) : "—")}</td><td>{Html(step.Detail ?? string.Empty)}</td></tr>");
        }

        var journeys = string.Concat(result.Journeys.Select(j => $"<tr><td>{Html(j.Name)}</td><td class=\"{(j.Passed ? "succeeded" : "failed")}\">{(j.Passed ? "passed" : "failed")}</td><td>{JourneyRecords.Seconds(j)}</td><td>{Html(j.Detail)}</td></tr>"));
        var checks = string.Concat(result.Checks.Select(c => $"<tr><td>{Html(c.Name)}</td><td class=\"{(c.Passed ? "succeeded" : "failed")}\">{(c.Passed ? "passed" : c.Forced ? "failed (forced)" : "failed")}</td><td>{Html(c.Detail)}</td></tr>"));
        return $$"""
            <!DOCTYPE html>
            <html lang="en"><head><meta charset="utf-8"><title>Failover {{Html(run.Kind)}} {{Html(run.RunId)}}</title>
            <style>
            body{font-family:system-ui,sans-serif;margin:2rem;color:#222;max-width:980px}
            table{border-collapse:collapse;margin:1rem 0}td,th{border:1px solid #ccc;padding:.3rem .6rem;text-align:left;vertical-align:top}
            .succeeded{color:#1a7f37}.failed{color:#c0392b}.running,.pending{color:#b35900}
            .measures td:first-child{font-weight:600}
            </style></head><body>
            <h1>Failover {{Html(run.Kind)}} <code>{{Html(run.RunId)}}</code> — {{Html(run.Environment)}}</h1>
            <p><strong>{{run.From.Name()}}</strong> ({{Html(plan.Pools.For(run.From).UserPoolId)}}, {{Html(plan.Region(run.From))}}) → <strong>{{run.To.Name()}}</strong> ({{Html(plan.Pools.For(run.To).UserPoolId)}}, {{Html(plan.Region(run.To))}}): <span class="{{(result.Succeeded ? "succeeded" : "failed")}}">{{run.State}}</span>{{(run.Attempts > 1 ? $" after {run.Attempts} attempts" : string.Empty)}}</p>
            {{(result.Failure is null ? string.Empty : $"<p class=\"failed\">{Html(result.Failure)}</p>")}}
            <table class="measures"><tr><td>RTO (start → verified)</td><td id="rto">{{Seconds(run.RtoSeconds)}}</td></tr>
            <tr><td>RPO estimate</td><td id="rpo">{{Seconds(run.RpoEstimateSeconds)}}</td></tr>
            <tr><td>Identity: replication lag at the fence</td><td>{{Seconds(result.IdentityRpoSeconds)}}</td></tr>
            <tr><td>Changes unapplied at the fence</td><td>{{result.UnappliedAtFence?.ToString(CultureInfo.InvariantCulture) ?? "—"}}</td></tr>
            <tr><td>Database</td><td>{{Html(DatabaseRpo(plan))}}; replica lag at promotion {{Seconds(result.DatabaseLagSeconds)}}</td></tr></table>
            {{(result.Steps.Count == 0
                ? "<p id=\"no-steps\">No step ran: the run stopped before its first step; nothing was changed.</p>"
                : $"<h2>Timeline</h2>{svg}<h2>Steps</h2><table><tr><th>step</th><th>result</th><th>seconds</th><th>detail</th></tr>{rows}</table>")}}
            {{(journeys.Length == 0 ? string.Empty : $"<h2>Journeys</h2><table id=\"journeys\"><tr><th>journey</th><th>result</th><th>seconds</th><th>detail</th></tr>{journeys}</table>")}}
            {{(checks.Length == 0 ? string.Empty : $"<h2>Preflight</h2><table><tr><th>check</th><th>result</th><th>detail</th></tr>{checks}</table>")}}
            </body></html>
            """;
    }

    /// <summary>
    /// Where reports go unless the operator names a folder: <c>failover-reports</c> in the current folder — not beside
    /// the plan, which for a drill is the sandbox's temporary folder, gone with it.
    /// </summary>
    public static string DefaultFolder() => Path.Combine(Environment.CurrentDirectory, "failover-reports");

    /// <summary>Writes the three forms to <paramref name="folder"/>/&lt;run id&gt;/.</summary>
    public static async Task<ReportFiles> SaveAsync(RunResult result, FailoverPlan plan, string folder, CancellationToken cancellationToken)
    {
        var directory = Path.Combine(folder, result.Run.RunId);
        Directory.CreateDirectory(directory);
        var files = new ReportFiles(Path.Combine(directory, "report.json"), Path.Combine(directory, "report.md"), Path.Combine(directory, "report.html"));
        await File.WriteAllTextAsync(files.Json, ToJson(result, plan, files).ToJsonString(new JsonSerializerOptions { WriteIndented = true }), cancellationToken);
        await File.WriteAllTextAsync(files.Markdown, ToMarkdown(result, plan), cancellationToken);
        await File.WriteAllTextAsync(files.Html, ToHtml(result, plan), cancellationToken);
        return files;
    }

    private static string DatabaseRpo(FailoverPlan plan) => plan.Database.Kind switch
    {
        Core.Rds.DatabaseKind.None => "no database in the plan",
        Core.Rds.DatabaseKind.GlobalCluster when !plan.Database.Unplanned => "global switchover: no data loss",
        _ => "up to the replica lag at promotion (databaseLagSeconds, from CloudWatch)",
    };

    private static string Time(DateTimeOffset time) => time.UtcDateTime.ToString("yyyy-MM-ddTHH:mm:ss.fffZ", CultureInfo.InvariantCulture);

    private static string Seconds(double? seconds) => seconds is { } s ? s.ToString("0.00", CultureInfo.InvariantCulture) + " s" : "—";

    private static string Cell(string text) => text.Replace("|", "\\|", StringComparison.Ordinal).Replace("\n", " ", StringComparison.Ordinal);

    private static string Html(string text) => WebUtility.HtmlEncode(text);
}
