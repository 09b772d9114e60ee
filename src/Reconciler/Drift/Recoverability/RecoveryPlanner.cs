using IdentityReplicator.Core.Model;
using IdentityReplicator.Core.Pools;

namespace IdentityReplicator.Reconciler.Drift.Recoverability;

/// <summary>
/// Builds the <see cref="RecoveryPlan"/>: one listing of the source pool, each enabled user classified by
/// <see cref="RecoverabilityClassifier"/> against the target's identity providers, and — when the source offers TOTP —
/// the source's TOTP enrolment read user by user (AdminGetUser, paced by its quota), only for users it can change the
/// class of (enabled, confirmed, not federated).
/// </summary>
public static class RecoveryPlanner
{
    public static async Task<RecoveryPlan> BuildAsync(
        IUserDirectory source,
        string targetPoolId,
        string targetRegion,
        IRecoveryFactsReader? facts,
        bool showValues,
        bool caseSensitive,
        DateTimeOffset now,
        CancellationToken cancellationToken)
    {
        var providers = facts is null ? null : await facts.TargetProvidersAsync(cancellationToken);
        var offersTotp = facts is null ? null : await facts.SourceOffersTotpAsync(cancellationToken);
        var tally = new RecoverabilityTally(providers, keepUsers: false, caseSensitive);
        var users = new List<RecoveryPlanEntry>();
        await foreach (var user in source.ListUsersAsync(cancellationToken))
        {
            RecoveryFacts? known = offersTotp switch
            {
                true when CanHaveTotp(user) => new RecoveryFacts(await facts!.TotpEnrolledAsync(user.Username, cancellationToken)),
                false => new RecoveryFacts(false),
                _ => null,
            };
            if (tally.Add(user, known) is not { } kind)
            {
                continue;
            }

            var keyHash = IdentityKeys.Fingerprint(IdentityKeys.ForUsername(user.Username, caseSensitive));
            users.Add(showValues
                ? new RecoveryPlanEntry(kind, keyHash, user.Username, Value(user, "email"), Value(user, "phone_number"))
                : new RecoveryPlanEntry(kind, keyHash));
        }

        return new RecoveryPlan(
            source.PoolId,
            targetPoolId,
            targetRegion,
            now,
            tally.ToSection(totpChecked: offersTotp is not null),
            [.. users.OrderBy(u => u.Kind).ThenBy(u => u.KeyHash, StringComparer.Ordinal)],
            showValues);
    }

    /// <summary>Whether reading the user's TOTP enrolment can change its class (the classifier checks TOTP after status and federation).</summary>
    internal static bool CanHaveTotp(DirectoryUser user) =>
        user.Enabled && user.Status != UserStatuses.Unconfirmed && RecoverabilityClassifier.Providers(user).Count == 0;

    private static string? Value(DirectoryUser user, string name) =>
        user.Attributes.TryGetValue(name, out var value) && !string.IsNullOrEmpty(value) ? value : null;
}
