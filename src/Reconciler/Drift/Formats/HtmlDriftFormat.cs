using System.Globalization;
using System.Net;
using System.Text;

namespace IdentityReplicator.Reconciler.Drift.Formats;

/// <summary>
/// One self-contained HTML page (no external scripts, styles or fonts): a headline, a bar chart of differences by
/// kind (inline SVG), and a table of every difference with a search box (filtering as you type; <c>#q=text</c> in the
/// address pre-fills it, so a link can point at one user).
/// </summary>
internal static class HtmlDriftFormat
{
    private const string Style = """
        body{font:14px/1.45 system-ui,-apple-system,"Segoe UI",sans-serif;margin:2rem;color:#1f2328;background:#fff}
        h1{font-size:1.4rem;margin:0 0 .25rem} .pools{color:#57606a;margin:0 0 1rem}
        .banner{padding:.75rem 1rem;border-radius:6px;font-weight:600;margin:0 0 1.25rem}
        .ok{background:#dafbe1;color:#116329} .drift{background:#ffebe9;color:#a40e26}
        .cards{display:flex;gap:.75rem;flex-wrap:wrap;margin-bottom:1rem}
        .card{border:1px solid #d0d7de;border-radius:6px;padding:.5rem .75rem;min-width:7rem}
        .card b{display:block;font-size:1.3rem}
        svg text{font:12px system-ui,sans-serif;fill:#1f2328}
        input[type=search]{width:22rem;padding:.4rem;border:1px solid #d0d7de;border-radius:6px;margin:.75rem 0}
        table{border-collapse:collapse;width:100%} th,td{border-bottom:1px solid #d0d7de;padding:.35rem .5rem;text-align:left;vertical-align:top}
        th{background:#f6f8fa} code{font-size:12px} .muted{color:#57606a}
        """;

    private const string Script = """
        (function(){
          var box=document.getElementById('search'),rows=[].slice.call(document.querySelectorAll('#differences tbody tr')),shown=document.getElementById('shown');
          function apply(){var q=box.value.trim().toLowerCase(),n=0;rows.forEach(function(r){var hit=!q||r.textContent.toLowerCase().indexOf(q)>=0;r.style.display=hit?'':'none';if(hit)n++;});shown.textContent=n+' of '+rows.length+' shown';}
          box.addEventListener('input',apply);
          var m=/[#&]q=([^&]*)/.exec(location.hash);if(m){box.value=decodeURIComponent(m[1]);}
          apply();
        })();
        """;

    public static string Render(DriftReport report)
    {
        var html = new StringBuilder();
        html.Append("<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\"><meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">");
        html.Append(CultureInfo.InvariantCulture, $"<title>Cognito drift report {report.GeneratedAt:yyyy-MM-dd HH:mm} UTC</title><style>{Style}</style></head><body>");
        html.Append(CultureInfo.InvariantCulture, $"<h1>Cognito drift report</h1><p class=\"pools\">{E(DriftFormats.Pools(report))} · generated {report.GeneratedAt:yyyy-MM-dd HH:mm:ss} UTC</p>");
        html.Append(CultureInfo.InvariantCulture, $"<div id=\"banner\" class=\"banner {(report.Summary.InSync ? "ok" : "drift")}\">{E(DriftFormats.Headline(report))}</div>");
        NativeReplicaFormat.Html(html, report);

        if (report.Summary.InSync)
        {
            // In sync: the banner says so; only the counts that matter, no zero counters, chart or empty search.
            InSyncCards(html, report);
        }
        else
        {
            html.Append("<div class=\"cards\">");
            Card("users compared", report.Summary.UsersCompared);
            Card("differences", report.Summary.Differences);
            Card("configuration differences", report.Summary.ConfigDifferences);
            Card("parked", report.Summary.Parked);
            Card("mirror behind", report.Summary.MirrorBehind);
            Card("not in mirror", report.Summary.MirrorAbsent);
            if (report.Repair is { } repair)
            {
                Card("repaired", repair.Applied);
                Card("remaining", repair.RemainingDifferences);
            }

            html.Append("</div>");
            Chart(html, report);

            html.Append("<h2>Differences</h2><input type=\"search\" id=\"search\" placeholder=\"Search user, sub, group or kind\" aria-label=\"Search differences\"> <span id=\"shown\" class=\"muted\"></span>");
            html.Append("<table id=\"differences\"><thead><tr><th>kind</th><th>user or group</th><th>sub</th><th>difference</th><th>mirror</th></tr></thead><tbody>");
            foreach (var item in report.Differences)
            {
                html.Append(CultureInfo.InvariantCulture, $"<tr data-kind=\"{DriftFormats.Name(item.Kind)}\"><td>{DriftFormats.Name(item.Kind)}</td><td>{E(item.Group ?? item.Username ?? item.TargetUsername ?? "(hidden)")}</td><td><code>{E(item.Sub ?? item.TargetSub ?? string.Empty)}</code></td><td>{E(item.Detail)}</td><td>{(item.Mirror is { } m ? m.ToString().ToLowerInvariant() : string.Empty)}</td></tr>");
            }

            html.Append("</tbody></table>");
            if (report.Differences.Length == 0)
            {
                html.Append("<p class=\"muted\" id=\"none\">No differences.</p>");
            }
        }

        if (report.Parked.Length > 0)
        {
            html.Append("<h2>Parked by the reconciler</h2><table id=\"parked\"><thead><tr><th>entity</th><th>user or group</th><th>code</th><th>reason</th></tr></thead><tbody>");
            foreach (var parked in report.Parked)
            {
                html.Append(CultureInfo.InvariantCulture, $"<tr><td>{parked.Entity}</td><td>{E(parked.Group ?? parked.Username ?? parked.Sub ?? string.Empty)}</td><td>{E(parked.Code)}</td><td>{E(parked.Reason)}</td></tr>");
            }

            html.Append("</tbody></table>");
        }

        ConfigurationDriftFormat.Html(html, report);
        RecoverabilityFormat.Html(html, report);
        html.Append(report.Summary.InSync ? "</body></html>" : $"<script>{Script}</script></body></html>");
        return html.ToString();

        void Card(string label, int value) =>
            html.Append(CultureInfo.InvariantCulture, $"<div class=\"card\"><b>{value}</b>{E(label)}</div>");
    }

    /// <summary>The cards of an in-sync report: what was compared, and only those other counts that are not zero.</summary>
    private static void InSyncCards(StringBuilder html, DriftReport report)
    {
        html.Append("<div class=\"cards\" id=\"in-sync\">");
        InSyncCard(html, "users compared", report.Summary.UsersCompared);
        InSyncCard(html, "groups", report.Source.Groups);
        foreach (var (label, value) in new[]
        {
            ("parked", report.Summary.Parked),
            ("mirror behind", report.Summary.MirrorBehind),
            ("not in mirror", report.Summary.MirrorAbsent),
            ("repaired", report.Repair?.Applied ?? 0),
        })
        {
            if (value > 0)
            {
                InSyncCard(html, label, value);
            }
        }

        html.Append("</div>");
    }

    private static void InSyncCard(StringBuilder html, string label, int value) =>
        html.Append(CultureInfo.InvariantCulture, $"<div class=\"card\"><b>{value}</b>{E(label)}</div>");

    /// <summary>A horizontal bar per kind of difference, scaled to the largest count.</summary>
    private static void Chart(StringBuilder html, DriftReport report)
    {
        var counts = DriftFormats.CountsByKind(report).ToList();
        var max = Math.Max(1, counts.Max(c => c.Count));
        const int rowHeight = 22, labelWidth = 130, barWidth = 360;
        html.Append(CultureInfo.InvariantCulture, $"<svg id=\"chart\" role=\"img\" aria-label=\"Differences by kind\" width=\"{labelWidth + barWidth + 60}\" height=\"{(counts.Count * rowHeight) + 6}\">");
        for (var i = 0; i < counts.Count; i++)
        {
            var (kind, count) = counts[i];
            var y = (i * rowHeight) + 3;
            var width = count == 0 ? 0 : Math.Max(2, count * barWidth / max);
            html.Append(CultureInfo.InvariantCulture, $"<text x=\"0\" y=\"{y + 14}\">{DriftFormats.Name(kind)}</text>");
            html.Append(CultureInfo.InvariantCulture, $"<rect class=\"bar\" data-kind=\"{DriftFormats.Name(kind)}\" x=\"{labelWidth}\" y=\"{y}\" width=\"{width}\" height=\"16\" fill=\"{(count == 0 ? "#d0d7de" : "#cf222e")}\"></rect>");
            html.Append(CultureInfo.InvariantCulture, $"<text x=\"{labelWidth + width + 6}\" y=\"{y + 14}\">{count}</text>");
        }

        html.Append("</svg>");
    }

    private static string E(string text) => WebUtility.HtmlEncode(text);
}
