using System.Collections.Immutable;

namespace IdentityReplicator.Reconciler.Drift.Recoverability;

/// <summary>
/// The list an operator acts on after a failover (<c>idrep users recovery-plan</c>): every enabled source user with how
/// it recovers in the target and what to do, counted as in the drift report's <c>recoverability</c> block.
/// <c>ShowValues</c> says whether the users carry usernames, emails and phone numbers (personal data).
/// </summary>
public sealed record RecoveryPlan(
    string SourcePoolId,
    string TargetPoolId,
    string TargetRegion,
    DateTimeOffset GeneratedAt,
    RecoverabilitySection Counts,
    ImmutableArray<RecoveryPlanEntry> Users,
    bool ShowValues);

/// <summary>One user to act on: a short hash of its identity key always, its username, email and phone only with <c>--show-values</c>.</summary>
public sealed record RecoveryPlanEntry(RecoveryKind Kind, string KeyHash, string? Username = null, string? Email = null, string? PhoneNumber = null)
{
    public string Action => RecoveryActions.Code(Kind);
}

/// <summary>What the planner needs beyond the source's listing (read through Cognito, faked in tests).</summary>
public interface IRecoveryFactsReader
{
    /// <summary>The target pool's identity provider names; null when they cannot be read (federated users are then assumed configured).</summary>
    Task<IReadOnlySet<string>?> TargetProvidersAsync(CancellationToken cancellationToken);

    /// <summary>Whether the source pool offers TOTP MFA (false: nobody can be enrolled); null when it cannot be read.</summary>
    Task<bool?> SourceOffersTotpAsync(CancellationToken cancellationToken);

    /// <summary>Whether the source user has TOTP MFA enrolled (AdminGetUser's <c>UserMFASettingList</c>).</summary>
    Task<bool> TotpEnrolledAsync(string username, CancellationToken cancellationToken);
}

/// <summary>The action for each <see cref="RecoveryKind"/>: a code for machines and a sentence for people.</summary>
internal static class RecoveryActions
{
    public static string Code(RecoveryKind kind) => kind switch
    {
        RecoveryKind.SignInAtOnce => "none",
        RecoveryKind.ForgotPassword => "forgot-password",
        RecoveryKind.ReEnrolTotp => "reset-and-re-enrol-totp",
        RecoveryKind.NeedsAdministrator => "admin-reset",
        _ => "sign-up-again",
    };

    public static string Text(RecoveryKind kind) => kind switch
    {
        RecoveryKind.SignInAtOnce => "nothing: signs in through their identity provider",
        RecoveryKind.ForgotPassword => "tell them to use 'Forgot password' (a verified email or phone gets the code)",
        RecoveryKind.ReEnrolTotp => "reset the password, then they set up their authenticator app again (TOTP secrets are not copied)",
        RecoveryKind.NeedsAdministrator => "an administrator resets the password or invites them again (no verified channel, or their provider is missing in the target)",
        _ => "ask them to sign up again (UNCONFIRMED users are not replicated)",
    };

    /// <summary>The kind's name in JSON and CSV (camelCase, as in the drift report).</summary>
    public static string Name(RecoveryKind kind) => System.Text.Json.JsonNamingPolicy.CamelCase.ConvertName(kind.ToString());
}
