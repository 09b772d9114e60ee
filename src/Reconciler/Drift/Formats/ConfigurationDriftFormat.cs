using System.Globalization;
using System.Net;
using System.Text;

namespace IdentityReplicator.Reconciler.Drift.Formats;

/// <summary>The <c>configuration</c> section of a drift report in text, Markdown and HTML (JSON serializes the record).</summary>
internal static class ConfigurationDriftFormat
{
    public static void Text(StringBuilder text, DriftReport report)
    {
        if (report.Configuration is not { } section)
        {
            return;
        }

        text.AppendLine(CultureInfo.InvariantCulture, $"Configuration: {Headline(section)}");
        foreach (var finding in section.Findings)
        {
            text.AppendLine(CultureInfo.InvariantCulture, $"  {(finding.IsDrift ? "drift " : "report")} {Kind(finding),-16} {finding.Name}  {finding.Detail}");
        }

        foreach (var refusal in section.Refused)
        {
            text.AppendLine(CultureInfo.InvariantCulture, $"  refused {refusal}");
        }
    }

    public static void Markdown(StringBuilder md, DriftReport report)
    {
        if (report.Configuration is not { } section)
        {
            return;
        }

        md.AppendLine();
        md.AppendLine(CultureInfo.InvariantCulture, $"**Configuration:** {Headline(section)}");
        if (section.Findings.Length > 0)
        {
            md.AppendLine();
            md.AppendLine("| | kind | what | detail |");
            md.AppendLine("|---|---|---|---|");
            foreach (var finding in section.Findings)
            {
                md.AppendLine(CultureInfo.InvariantCulture, $"| {(finding.IsDrift ? "drift" : "report")} | {Kind(finding)} | {Cell(finding.Name)} | {Cell(finding.Detail)} |");
            }
        }

        foreach (var refusal in section.Refused)
        {
            md.AppendLine(CultureInfo.InvariantCulture, $"- refused: {Cell(refusal.ToString())}");
        }
    }

    public static void Html(StringBuilder html, DriftReport report)
    {
        if (report.Configuration is not { } section)
        {
            return;
        }

        html.Append(CultureInfo.InvariantCulture, $"<h2>Configuration</h2><p id=\"configuration-summary\">{E(Headline(section))}</p>");
        if (section.Findings.Length > 0)
        {
            html.Append("<table id=\"configuration\"><thead><tr><th></th><th>kind</th><th>what</th><th>detail</th></tr></thead><tbody>");
            foreach (var finding in section.Findings)
            {
                html.Append(CultureInfo.InvariantCulture, $"<tr data-kind=\"{Kind(finding)}\"><td>{(finding.IsDrift ? "drift" : "report")}</td><td>{Kind(finding)}</td><td><code>{E(finding.Name)}</code></td><td>{E(finding.Detail)}</td></tr>");
            }

            html.Append("</tbody></table>");
        }

        foreach (var refusal in section.Refused)
        {
            html.Append(CultureInfo.InvariantCulture, $"<p class=\"refused\">refused: {E(refusal.ToString())}</p>");
        }
    }

    private static string Headline(ConfigurationDriftSection section) => section.Error is { } error
        ? error
        : FormattableString.Invariant($"{section.Differences} difference{(section.Differences == 1 ? string.Empty : "s")}, {section.Reports} report{(section.Reports == 1 ? string.Empty : "s")}")
            + (section.Repair is { } r ? FormattableString.Invariant($"; repair made {r.Applied} writes, {r.Refused} refused, {r.RemainingDifferences} differences remain") : string.Empty)
            + ".";

    private static string Kind(Core.PoolConfiguration.ConfigFinding finding) => System.Text.Json.JsonNamingPolicy.CamelCase.ConvertName(finding.Kind.ToString());

    private static string Cell(string text) => text.Replace("|", "\\|", StringComparison.Ordinal).Replace("\n", " ", StringComparison.Ordinal);

    private static string E(string text) => WebUtility.HtmlEncode(text);
}
