using System.Globalization;
using System.Net;
using System.Text;
using IdentityReplicator.Reconciler.Drift.Recoverability;

namespace IdentityReplicator.Reconciler.Drift;

/// <summary>The drift report's <c>recoverability</c> block in text, Markdown and HTML (with a bar chart).</summary>
internal static class RecoverabilityFormat
{
    private static readonly (RecoveryKind Kind, string Label, string Colour)[] Kinds =
    [
        (RecoveryKind.SignInAtOnce, "sign in at once (federated)", "#31a354"),
        (RecoveryKind.ForgotPassword, "forgot password (verified email or phone)", "#74c476"),
        (RecoveryKind.ReEnrolTotp, "re-enrol TOTP", "#fdae6b"),
        (RecoveryKind.NeedsAdministrator, "need an administrator", "#de2d26"),
        (RecoveryKind.NotReplicated, "not replicated (UNCONFIRMED)", "#969696"),
    ];

    public static void Text(StringBuilder text, DriftReport report)
    {
        if (report.Recoverability is not { } r)
        {
            return;
        }

        text.AppendLine(CultureInfo.InvariantCulture, $"Recoverability after a failover to {report.Target.UserPoolId}{Caveats(r)}:");
        foreach (var (kind, label, _) in Kinds)
        {
            text.AppendLine(CultureInfo.InvariantCulture, $"  {label,-44} {r.Count(kind)}");
        }

        text.AppendLine(CultureInfo.InvariantCulture, $"  {"disabled (not counted)",-44} {r.Disabled}");
        foreach (var user in r.Users)
        {
            text.AppendLine(CultureInfo.InvariantCulture, $"  {Name(user.Kind),-20} {user.Username ?? user.KeyHash}  {user.Sub}");
        }
    }

    public static void Markdown(StringBuilder md, DriftReport report)
    {
        if (report.Recoverability is not { } r)
        {
            return;
        }

        md.AppendLine();
        md.AppendLine(CultureInfo.InvariantCulture, $"**Recoverability** — who can sign in after a failover to {report.Target.UserPoolId}{Caveats(r)}");
        md.AppendLine();
        md.AppendLine("| users who | count |");
        md.AppendLine("|---|---:|");
        foreach (var (kind, label, _) in Kinds)
        {
            md.AppendLine(CultureInfo.InvariantCulture, $"| {label} | {r.Count(kind)} |");
        }

        md.AppendLine(CultureInfo.InvariantCulture, $"| disabled (not counted) | {r.Disabled} |");
    }

    public static void Html(StringBuilder html, DriftReport report)
    {
        if (report.Recoverability is not { } r)
        {
            return;
        }

        var total = Math.Max(1, Kinds.Sum(k => r.Count(k.Kind)));
        html.Append(CultureInfo.InvariantCulture, $"<h2>Recoverability</h2><p class=\"muted\">Who can sign in after a failover to {WebUtility.HtmlEncode(report.Target.UserPoolId)}{WebUtility.HtmlEncode(Caveats(r))}.</p>");
        html.Append(CultureInfo.InvariantCulture, $"<svg id=\"recoverability-chart\" xmlns=\"http://www.w3.org/2000/svg\" width=\"720\" height=\"{Kinds.Length * 26 + 10}\" role=\"img\" aria-label=\"Recoverability by kind\">");
        for (var i = 0; i < Kinds.Length; i++)
        {
            var (kind, label, colour) = Kinds[i];
            var width = 380.0 * r.Count(kind) / total;
            html.Append(CultureInfo.InvariantCulture, $"<text x=\"290\" y=\"{i * 26 + 18}\" font-size=\"12\" text-anchor=\"end\">{WebUtility.HtmlEncode(label)}</text><rect class=\"recoverability-bar\" data-kind=\"{Name(kind)}\" x=\"300\" y=\"{i * 26 + 5}\" width=\"{Math.Max(1, width):0.#}\" height=\"18\" fill=\"{colour}\"/><text x=\"{306 + width:0.#}\" y=\"{i * 26 + 18}\" font-size=\"12\">{r.Count(kind)}</text>");
        }

        html.Append("</svg>");
        if (!r.Users.IsEmpty)
        {
            html.Append("<table id=\"recoverability\"><thead><tr><th>kind</th><th>user</th><th>sub</th></tr></thead><tbody>");
            foreach (var user in r.Users)
            {
                html.Append(CultureInfo.InvariantCulture, $"<tr><td>{Name(user.Kind)}</td><td>{WebUtility.HtmlEncode(user.Username ?? user.KeyHash)}</td><td>{WebUtility.HtmlEncode(user.Sub ?? string.Empty)}</td></tr>");
            }

            html.Append("</tbody></table>");
        }
    }

    public static string Name(RecoveryKind kind) => System.Text.Json.JsonNamingPolicy.CamelCase.ConvertName(kind.ToString());

    private static string Caveats(RecoverabilitySection r) =>
        (r.ProvidersChecked ? string.Empty : "; federated users assume their provider is configured in the target")
        + (r.TotpChecked ? string.Empty : "; TOTP enrolment not read (listings do not carry it)");
}
