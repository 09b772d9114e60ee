using System.Globalization;
using System.Net;
using System.Text;

namespace IdentityReplicator.Reconciler.Drift.Formats;

/// <summary>The drift report's native-mode header (<see cref="NativeReplicaSection"/>) in text, Markdown and HTML: the canary's lag, then the replica's Regional settings.</summary>
internal static class NativeReplicaFormat
{
    public static string Canary(NativeReplicaSection native) => native.Canary is { } c
        ? string.Create(CultureInfo.InvariantCulture, $"NativeReplicationLag last {Ms(c.LastMs)}, p50 {Ms(c.P50Ms)}, p99 {Ms(c.P99Ms)} ({c.Samples} samples); {(c.Stale ? "STALE" : "not stale")}: {c.Reason}")
        : $"NativeReplicationLag not measured: {native.Error ?? "the canary did not run"}";

    public static string Settings(NativeReplicaSection native) => native.Differences == 0
        ? "Regional settings (triggers, email, SMS, log delivery): in step with the primary's, mapped to the replica's Region"
        : $"Regional settings: {native.Differences} differ from the primary's (mapped to the replica's Region)";

    public static void Text(StringBuilder text, DriftReport report)
    {
        if (report.Native is not { } native)
        {
            return;
        }

        text.AppendLine("Native replica: " + Canary(native));
        text.AppendLine("Native replica: " + Settings(native));
        foreach (var finding in native.RegionalSettings.Where(f => f.IsDrift || f.Kind != Core.PoolConfiguration.ConfigFindingKind.Mapped))
        {
            text.AppendLine(CultureInfo.InvariantCulture, $"  {finding.Kind.ToString().ToLowerInvariant(),-10} {finding.Path}  {finding.Detail}");
        }

        if (native.Canary is not null && native.Error is { } error)
        {
            text.AppendLine("  " + error);
        }
    }

    public static void Markdown(StringBuilder md, DriftReport report)
    {
        if (report.Native is not { } native)
        {
            return;
        }

        md.AppendLine(CultureInfo.InvariantCulture, $"**Native replica** — {Canary(native)}.");
        md.AppendLine();
        md.AppendLine(CultureInfo.InvariantCulture, $"{Settings(native)}.");
        var shown = native.RegionalSettings.Where(f => f.Kind != Core.PoolConfiguration.ConfigFindingKind.Mapped).ToList();
        if (shown.Count > 0)
        {
            md.AppendLine();
            md.AppendLine("| Regional setting | finding | detail |");
            md.AppendLine("|---|---|---|");
            foreach (var finding in shown)
            {
                md.AppendLine(CultureInfo.InvariantCulture, $"| {Cell(finding.Path)} | {finding.Kind.ToString().ToLowerInvariant()} | {Cell(finding.Detail)} |");
            }
        }

        md.AppendLine();
    }

    public static void Html(StringBuilder html, DriftReport report)
    {
        if (report.Native is not { } native)
        {
            return;
        }

        var stale = native.Canary is null || native.Canary.Stale;
        html.Append(CultureInfo.InvariantCulture, $"<section id=\"native\"><h2>Native replica</h2><p class=\"{(stale ? "drift" : "ok")}\">{E(Canary(native))}</p><p>{E(Settings(native))}</p>");
        var shown = native.RegionalSettings.Where(f => f.Kind != Core.PoolConfiguration.ConfigFindingKind.Mapped).ToList();
        if (shown.Count > 0)
        {
            html.Append("<table><thead><tr><th>Regional setting</th><th>finding</th><th>detail</th></tr></thead><tbody>");
            foreach (var finding in shown)
            {
                html.Append(CultureInfo.InvariantCulture, $"<tr><td>{E(finding.Path)}</td><td>{E(finding.Kind.ToString().ToLowerInvariant())}</td><td>{E(finding.Detail)}</td></tr>");
            }

            html.Append("</tbody></table>");
        }

        html.Append("</section>");
    }

    private static string Ms(double? ms) => ms is { } v ? v.ToString("0", CultureInfo.InvariantCulture) + " ms" : "–";

    private static string Cell(string text) => text.Replace("|", "\\|", StringComparison.Ordinal).Replace("\n", " ", StringComparison.Ordinal);

    private static string E(string text) => WebUtility.HtmlEncode(text);
}
