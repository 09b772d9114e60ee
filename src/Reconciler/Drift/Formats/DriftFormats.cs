using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;
using System.Text.Json.Serialization.Metadata;

namespace IdentityReplicator.Reconciler.Drift.Formats;

/// <summary>The formats a drift report is written in.</summary>
public enum DriftFormat
{
    /// <summary>For a terminal.</summary>
    Text,

    /// <summary>For machines: stable, documented in docs/drift-report.md.</summary>
    Json,

    /// <summary>For a pull request or a ticket.</summary>
    Md,

    /// <summary>One self-contained page with a summary chart and a searchable table.</summary>
    Html,
}

public static class DriftFormats
{
    public static readonly JsonSerializerOptions Json = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
        WriteIndented = true,
        Converters = { new JsonStringEnumConverter(JsonNamingPolicy.CamelCase) },
        TypeInfoResolver = new DefaultJsonTypeInfoResolver(),
    };

    public static string Render(DriftReport report, DriftFormat format) => format switch
    {
        DriftFormat.Json => JsonSerializer.Serialize(report, Json),
        DriftFormat.Md => MarkdownDriftFormat.Render(report),
        DriftFormat.Html => HtmlDriftFormat.Render(report),
        _ => TextDriftFormat.Render(report),
    };

    /// <summary>The JSON name of a kind (as written in the report).</summary>
    public static string Name(DriftKind kind) => JsonNamingPolicy.CamelCase.ConvertName(kind.ToString());

    /// <summary>Counts per kind, in report order, for summaries and the chart.</summary>
    public static IEnumerable<(DriftKind Kind, int Count)> CountsByKind(DriftReport report) =>
        Enum.GetValues<DriftKind>().Select(k => (k, report.Differences.Count(d => d.Kind == k)));

    public static string Headline(DriftReport report) => report.Summary.InSync
        ? $"In sync: {Counted.Of(report.Summary.UsersCompared, "user")} and {Counted.Of(report.Source.Groups, "group")} agree."
        : string.Create(CultureInfo.InvariantCulture, $"{Counted.Of(report.Summary.Differences, "difference")} between the pools{(report.Summary.ConfigDifferences > 0 ? $" and {report.Summary.ConfigDifferences} in their configuration" : string.Empty)}.");

    /// <summary>"; mirror absent" for a user row: what the mirror table holds, as the JSON's <c>mirror</c> says (troubleshooting reads it).</summary>
    internal static string MirrorNote(DriftItem item) => item.Mirror is { } mirror ? $"; mirror {mirror.ToString().ToLowerInvariant()}" : string.Empty;

    internal static string Pools(DriftReport report) => string.Create(
        CultureInfo.InvariantCulture,
        $"source {report.Source.UserPoolId} ({report.Source.Region}): {Counted.Of(report.Source.Users, "user")}, {Counted.Of(report.Source.Groups, "group")}; target {report.Target.UserPoolId} ({report.Target.Region}): {Counted.Of(report.Target.Users, "user")}, {Counted.Of(report.Target.Groups, "group")}");
}

internal static class TextDriftFormat
{
    public static string Render(DriftReport report)
    {
        var text = new StringBuilder();
        text.AppendLine(CultureInfo.InvariantCulture, $"Drift report {report.GeneratedAt:yyyy-MM-dd HH:mm:ss}Z");
        text.AppendLine(DriftFormats.Pools(report));
        text.AppendLine(DriftFormats.Headline(report));
        NativeReplicaFormat.Text(text, report);
        foreach (var (kind, count) in DriftFormats.CountsByKind(report).Where(c => c.Count > 0))
        {
            text.AppendLine(CultureInfo.InvariantCulture, $"  {DriftFormats.Name(kind),-16} {count}");
        }

        if (report.Summary.MirrorBehind + report.Summary.MirrorAbsent > 0)
        {
            text.AppendLine(CultureInfo.InvariantCulture, $"Mirror: {Counted.Of(report.Summary.MirrorBehind, "user")} behind the source, {report.Summary.MirrorAbsent} not recorded (the sweep records them).");
        }

        foreach (var item in report.Differences)
        {
            text.AppendLine(CultureInfo.InvariantCulture, $"{DriftFormats.Name(item.Kind),-16} {item.Subject}  {item.Detail}{DriftFormats.MirrorNote(item)}");
        }

        foreach (var parked in report.Parked)
        {
            text.AppendLine(CultureInfo.InvariantCulture, $"parked {parked.Entity} {parked.Group ?? parked.Username ?? parked.Sub}  {parked.Code}: {parked.Reason}");
        }

        if (report.Repair is { } repair)
        {
            text.AppendLine(CultureInfo.InvariantCulture, $"Repair: {repair.Applied} fixed, {repair.Failed} failed; {Counted.Of(repair.RemainingDifferences, "difference")} {(repair.RemainingDifferences == 1 ? "remains" : "remain")}.");
        }

        ConfigurationDriftFormat.Text(text, report);
        RecoverabilityFormat.Text(text, report);

        return text.ToString();
    }
}

internal static class MarkdownDriftFormat
{
    public static string Render(DriftReport report)
    {
        var md = new StringBuilder();
        md.AppendLine(CultureInfo.InvariantCulture, $"## Cognito drift report — {(report.Summary.InSync ? "in sync ✅" : $"{Counted.Of(report.Summary.Differences, "difference")} ❌")}");
        md.AppendLine();
        md.AppendLine(CultureInfo.InvariantCulture, $"{DriftFormats.Pools(report)}. Generated {report.GeneratedAt:yyyy-MM-dd HH:mm:ss} UTC.");
        md.AppendLine();
        NativeReplicaFormat.Markdown(md, report);
        md.AppendLine("| kind | count |");
        md.AppendLine("|---|---:|");
        foreach (var (kind, count) in DriftFormats.CountsByKind(report))
        {
            md.AppendLine(CultureInfo.InvariantCulture, $"| {DriftFormats.Name(kind)} | {count} |");
        }

        md.AppendLine(CultureInfo.InvariantCulture, $"| parked | {report.Summary.Parked} |");
        md.AppendLine(CultureInfo.InvariantCulture, $"| mirror behind / not recorded | {report.Summary.MirrorBehind} / {report.Summary.MirrorAbsent} |");
        RecoverabilityFormat.Markdown(md, report);
        if (report.Differences.Length > 0)
        {
            md.AppendLine();
            md.AppendLine(CultureInfo.InvariantCulture, $"<details{(report.Differences.Length <= 50 ? " open" : string.Empty)}><summary>{Counted.Of(report.Differences.Length, "difference")}</summary>");
            md.AppendLine();
            md.AppendLine("| kind | user or group | sub | difference |");
            md.AppendLine("|---|---|---|---|");
            foreach (var item in report.Differences)
            {
                md.AppendLine(CultureInfo.InvariantCulture, $"| {DriftFormats.Name(item.Kind)} | {Cell(item.Group ?? item.Username ?? item.TargetUsername ?? "(hidden)")} | {Cell(item.Sub ?? item.TargetSub ?? string.Empty)} | {Cell(item.Detail + DriftFormats.MirrorNote(item))} |");
            }

            md.AppendLine();
            md.AppendLine("</details>");
        }

        if (report.Parked.Length > 0)
        {
            md.AppendLine();
            md.AppendLine("**Parked by the reconciler**");
            md.AppendLine();
            foreach (var parked in report.Parked)
            {
                md.AppendLine(CultureInfo.InvariantCulture, $"- {parked.Entity} `{parked.Group ?? parked.Username ?? parked.Sub}` — {parked.Code}: {Cell(parked.Reason)}");
            }
        }

        if (report.Repair is { } repair)
        {
            md.AppendLine();
            md.AppendLine(CultureInfo.InvariantCulture, $"**Repair:** {repair.Applied} fixed, {repair.Failed} failed, {Counted.Of(repair.RemainingDifferences, "difference")} {(repair.RemainingDifferences == 1 ? "remains" : "remain")}.");
        }

        ConfigurationDriftFormat.Markdown(md, report);

        return md.ToString();
    }

    private static string Cell(string text) => text.Replace("|", "\\|", StringComparison.Ordinal).Replace("\n", " ", StringComparison.Ordinal);
}
