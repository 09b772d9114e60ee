using System.Text.Json;
using System.Text.Json.Nodes;
using IdentityReplicator.Core.Model;
using IdentityReplicator.Core.Pools;

namespace IdentityReplicator.Reconciler.Drift.Recoverability;

/// <summary>How a user gets back in after a failover to the target pool (passwords cannot be copied).</summary>
public enum RecoveryKind
{
    /// <summary>Federated, and the target pool has the user's identity provider: signs in at once.</summary>
    SignInAtOnce,

    /// <summary>A verified email or phone: "forgot password" gets them in by themselves.</summary>
    ForgotPassword,

    /// <summary>No verified channel (or a federated provider the target lacks): an administrator must reset or invite them.</summary>
    NeedsAdministrator,

    /// <summary>TOTP MFA enrolled in the source: authenticator secrets are not copied, so they enrol again (after a reset).</summary>
    ReEnrolTotp,

    /// <summary>UNCONFIRMED in the source: replication does not carry them; they sign up again.</summary>
    NotReplicated,
}

/// <summary>What is known about a user beyond its listing: whether TOTP MFA is enrolled (null: not read).</summary>
internal sealed record RecoveryFacts(bool? TotpEnrolled = null);

/// <summary>
/// Classifies one source user by how it recovers in the target pool. Pure and total: every user gets exactly one
/// <see cref="RecoveryKind"/>, or null when recovery does not apply (a disabled user cannot sign in anywhere).
/// Precedence: not replicated, then federated, then TOTP, then a verified channel, else an administrator.
/// </summary>
internal static class RecoverabilityClassifier
{
    public static RecoveryKind? Classify(DirectoryUser user, IReadOnlySet<string> targetProviders, RecoveryFacts? facts = null)
    {
        if (!user.Enabled)
        {
            return null;
        }

        if (user.Status == UserStatuses.Unconfirmed)
        {
            return RecoveryKind.NotReplicated;
        }

        if (Providers(user) is { Count: > 0 } providers)
        {
            return providers.Any(targetProviders.Contains) ? RecoveryKind.SignInAtOnce : RecoveryKind.NeedsAdministrator;
        }

        if (facts?.TotpEnrolled == true)
        {
            return RecoveryKind.ReEnrolTotp;
        }

        return Verified(user, "email") || Verified(user, "phone_number") ? RecoveryKind.ForgotPassword : RecoveryKind.NeedsAdministrator;
    }

    /// <summary>The identity providers a federated user signs in through (its <c>identities</c> attribute), none for native users.</summary>
    public static IReadOnlyList<string> Providers(DirectoryUser user)
    {
        if (!user.Attributes.TryGetValue("identities", out var text) || string.IsNullOrEmpty(text))
        {
            return user.Status == UserStatuses.ExternalProvider && user.Username.IndexOf('_', StringComparison.Ordinal) is > 0 and var at
                ? [user.Username[..at]]
                : [];
        }

        try
        {
            return JsonNode.Parse(text) is JsonArray identities
                ? [.. identities.Select(i => i?["providerName"]?.GetValueKind() == JsonValueKind.String ? (string?)i["providerName"] : null).OfType<string>()]
                : [];
        }
        catch (JsonException)
        {
            return [];
        }
    }

    private static bool Verified(DirectoryUser user, string channel) =>
        user.Attributes.TryGetValue(channel, out var value) && !string.IsNullOrEmpty(value)
        && user.Attributes.TryGetValue(channel + "_verified", out var verified) && string.Equals(verified, "true", StringComparison.OrdinalIgnoreCase);
}
