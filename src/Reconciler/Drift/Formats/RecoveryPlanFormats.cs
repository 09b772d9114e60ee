using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using IdentityReplicator.Reconciler.Drift.Recoverability;

namespace IdentityReplicator.Reconciler.Drift.Formats;

/// <summary>How <c>idrep users recovery-plan</c> writes the plan.</summary>
public enum RecoveryPlanFormat
{
    /// <summary>For a terminal: counts, then one line per user.</summary>
    Text,

    /// <summary>For machines: <c>recoverability</c> counts and <c>users</c>.</summary>
    Json,

    /// <summary>For a spreadsheet or a mail merge: RFC 4180, a header row, one row per user.</summary>
    Csv,
}

/// <summary>Renders a <see cref="RecoveryPlan"/>. Personal data appears only when the plan was built with <c>--show-values</c>.</summary>
public static partial class RecoveryPlanFormats
{
    private static readonly RecoveryKind[] Order =
        [RecoveryKind.SignInAtOnce, RecoveryKind.ForgotPassword, RecoveryKind.ReEnrolTotp, RecoveryKind.NeedsAdministrator, RecoveryKind.NotReplicated];

    public static string Render(RecoveryPlan plan, RecoveryPlanFormat format) => format switch
    {
        RecoveryPlanFormat.Json => Json(plan).ToJsonString(new JsonSerializerOptions { WriteIndented = true }) + "\n",
        RecoveryPlanFormat.Csv => Csv(plan),
        _ => Text(plan),
    };

    /// <summary>The plan's counts as the JSON object the drift report and <c>failover plan</c> also carry.</summary>
    public static JsonObject CountsJson(RecoverabilitySection counts) => new()
    {
        ["signInAtOnce"] = counts.SignInAtOnce,
        ["forgotPassword"] = counts.ForgotPassword,
        ["reEnrolTotp"] = counts.ReEnrolTotp,
        ["needsAdministrator"] = counts.NeedsAdministrator,
        ["notReplicated"] = counts.NotReplicated,
        ["disabled"] = counts.Disabled,
        ["providersChecked"] = counts.ProvidersChecked,
        ["totpChecked"] = counts.TotpChecked,
    };

    /// <summary>The counts as text lines (label, count), with what was not checked.</summary>
    public static IEnumerable<string> CountLines(RecoverabilitySection counts, string indent = "  ")
    {
        foreach (var kind in Order)
        {
            yield return string.Create(CultureInfo.InvariantCulture, $"{indent}{Label(kind),-44} {counts.Count(kind)}");
        }

        yield return string.Create(CultureInfo.InvariantCulture, $"{indent}{"disabled (not counted)",-44} {counts.Disabled}");
        if (!counts.ProvidersChecked)
        {
            yield return indent + "(the target's identity providers were not read: federated users assume their provider is configured in the target)";
        }

        if (!counts.TotpChecked)
        {
            yield return indent + "(TOTP enrolment was not read: users who must re-enrol TOTP are counted under forgot password or administrator)";
        }
    }

    public static string Label(RecoveryKind kind) => kind switch
    {
        RecoveryKind.SignInAtOnce => "sign in at once (federated)",
        RecoveryKind.ForgotPassword => "forgot password (verified email or phone)",
        RecoveryKind.ReEnrolTotp => "re-enrol TOTP",
        RecoveryKind.NeedsAdministrator => "need an administrator",
        _ => "not replicated (UNCONFIRMED)",
    };

    private static string Text(RecoveryPlan plan)
    {
        var text = new StringBuilder();
        text.AppendLine(CultureInfo.InvariantCulture, $"Recovery plan: who can sign in after a failover to {plan.TargetPoolId} ({plan.TargetRegion}), from {plan.SourcePoolId}, {plan.GeneratedAt:yyyy-MM-dd HH:mm:ss}Z");
        foreach (var line in CountLines(plan.Counts))
        {
            text.AppendLine(line);
        }

        foreach (var kind in Order.Where(k => k != RecoveryKind.SignInAtOnce && plan.Users.Any(u => u.Kind == k)))
        {
            text.AppendLine();
            text.AppendLine(CultureInfo.InvariantCulture, $"{Label(kind)}: {RecoveryActions.Text(kind)}");
            foreach (var user in plan.Users.Where(u => u.Kind == kind))
            {
                text.AppendLine(plan.ShowValues
                    ? string.Create(CultureInfo.InvariantCulture, $"  {user.KeyHash}  {user.Username}  {user.Email ?? "-"}  {user.PhoneNumber ?? "-"}")
                    : "  " + user.KeyHash);
            }
        }

        if (!plan.ShowValues && plan.Users.Any(u => u.Kind != RecoveryKind.SignInAtOnce))
        {
            text.AppendLine();
            text.AppendLine("Users are shown as key hashes; --show-values shows usernames, emails and phone numbers (personal data).");
        }

        return text.ToString();
    }

    private static JsonObject Json(RecoveryPlan plan)
    {
        var users = new JsonArray();
        foreach (var user in plan.Users)
        {
            var item = new JsonObject { ["kind"] = RecoveryActions.Name(user.Kind), ["action"] = user.Action, ["keyHash"] = user.KeyHash };
            if (plan.ShowValues)
            {
                item["username"] = user.Username;
                item["email"] = user.Email;
                item["phoneNumber"] = user.PhoneNumber;
            }

            users.Add(item);
        }

        var actions = new JsonObject();
        foreach (var kind in Order)
        {
            actions[RecoveryActions.Name(kind)] = new JsonObject { ["action"] = RecoveryActions.Code(kind), ["what"] = RecoveryActions.Text(kind) };
        }

        return new JsonObject
        {
            ["sourcePoolId"] = plan.SourcePoolId,
            ["targetPoolId"] = plan.TargetPoolId,
            ["targetRegion"] = plan.TargetRegion,
            ["generatedAt"] = plan.GeneratedAt.ToString("O", CultureInfo.InvariantCulture),
            ["showValues"] = plan.ShowValues,
            ["recoverability"] = CountsJson(plan.Counts),
            ["actions"] = actions,
            ["users"] = users,
        };
    }

    private static string Csv(RecoveryPlan plan)
    {
        var csv = new StringBuilder();
        csv.Append(plan.ShowValues ? "kind,action,keyHash,username,email,phoneNumber" : "kind,action,keyHash").Append("\r\n");
        foreach (var user in plan.Users)
        {
            csv.Append(RecoveryActions.Name(user.Kind)).Append(',').Append(user.Action).Append(',').Append(user.KeyHash);
            if (plan.ShowValues)
            {
                csv.Append(',').Append(CsvField(user.Username ?? string.Empty, phoneNumber: false))
                    .Append(',').Append(CsvField(user.Email ?? string.Empty, phoneNumber: false))
                    .Append(',').Append(CsvField(user.PhoneNumber ?? string.Empty, phoneNumber: true));
            }

            csv.Append("\r\n");
        }

        return csv.ToString();
    }

    /// <summary>
    /// One CSV field (RFC 4180): quoted when it holds a comma, quote or line break, quotes doubled. A value a spreadsheet
    /// would run as a formula (starting with = + - @) gets a leading apostrophe, except a phone number in E.164 form.
    /// </summary>
    public static string CsvField(string text, bool phoneNumber)
    {
        var value = text.Length > 0 && "=+-@".Contains(text[0], StringComparison.Ordinal) && !(phoneNumber && E164().IsMatch(text)) ? "'" + text : text;
        return value.AsSpan().IndexOfAny(",\"\r\n") >= 0 ? "\"" + value.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"" : value;
    }

    [GeneratedRegex(@"^\+[0-9]{1,15}$", RegexOptions.CultureInvariant)]
    private static partial Regex E164();
}
