using System.Collections.Immutable;
using IdentityReplicator.Core.Model;
using IdentityReplicator.Core.Pools;

namespace IdentityReplicator.Reconciler.Drift.Recoverability;

/// <summary>
/// Who can sign in after a failover to the target (<c>recoverability</c> in the drift report): a count per
/// <see cref="RecoveryKind"/> over the source's enabled users, and with <c>--show-values</c> the users of each.
/// </summary>
public sealed record RecoverabilitySection
{
    public int SignInAtOnce { get; init; }

    public int ForgotPassword { get; init; }

    public int NeedsAdministrator { get; init; }

    public int ReEnrolTotp { get; init; }

    public int NotReplicated { get; init; }

    /// <summary>Disabled users: they cannot sign in anywhere, so they are in no count above.</summary>
    public int Disabled { get; init; }

    /// <summary>Whether federated users were checked against the target's identity providers (false: assumed configured).</summary>
    public bool ProvidersChecked { get; init; }

    /// <summary>Whether TOTP enrolment was read (user listings do not carry it; false: <see cref="ReEnrolTotp"/> is not known).</summary>
    public bool TotpChecked { get; init; }

    /// <summary>The users of each kind, only with <c>--show-values</c> (empty otherwise).</summary>
    public ImmutableArray<RecoverableUser> Users { get; init; } = [];

    public int Count(RecoveryKind kind) => kind switch
    {
        RecoveryKind.SignInAtOnce => SignInAtOnce,
        RecoveryKind.ForgotPassword => ForgotPassword,
        RecoveryKind.NeedsAdministrator => NeedsAdministrator,
        RecoveryKind.ReEnrolTotp => ReEnrolTotp,
        _ => NotReplicated,
    };
}

/// <summary>One user to act on: the kind, the username (only with <c>--show-values</c>) and a short hash of its identity key.</summary>
public sealed record RecoverableUser(RecoveryKind Kind, string KeyHash, string? Username, string? Sub);

/// <summary>
/// Folds users one at a time into a <see cref="RecoverabilitySection"/> (bounded: lists are kept only when asked for).
/// Safe to add to from several threads (the facts a <see cref="RecoverabilityTally.StartAsync"/> reads arrive so).
/// </summary>
internal sealed partial class RecoverabilityTally(IReadOnlySet<string>? targetProviders, bool keepUsers, bool caseSensitive = true)
{
    private readonly int[] _counts = new int[Enum.GetValues<RecoveryKind>().Length];
    private readonly List<RecoverableUser> _users = [];
    private int _disabled;

    /// <summary>Classifies and counts one source user.</summary>
    public RecoveryKind? Add(DirectoryUser user, RecoveryFacts? facts = null)
    {
        var kind = RecoverabilityClassifier.Classify(user, targetProviders ?? AnyProvider.Instance, facts);
        if (kind is not { } k)
        {
            Interlocked.Increment(ref _disabled);
            return null;
        }

        Interlocked.Increment(ref _counts[(int)k]);
        if (keepUsers)
        {
            var entry = new RecoverableUser(k, IdentityKeys.Fingerprint(IdentityKeys.ForUsername(user.Username, caseSensitive)), user.Username, user.Sub);
            lock (_users)
            {
                _users.Add(entry);
            }
        }

        return k;
    }

    public RecoverabilitySection ToSection(bool totpChecked = false) => new()
    {
        SignInAtOnce = _counts[(int)RecoveryKind.SignInAtOnce],
        ForgotPassword = _counts[(int)RecoveryKind.ForgotPassword],
        NeedsAdministrator = _counts[(int)RecoveryKind.NeedsAdministrator],
        ReEnrolTotp = _counts[(int)RecoveryKind.ReEnrolTotp],
        NotReplicated = _counts[(int)RecoveryKind.NotReplicated],
        Disabled = _disabled,
        ProvidersChecked = targetProviders is not null,
        TotpChecked = totpChecked,
        Users = [.. _users.OrderBy(u => u.Kind).ThenBy(u => u.KeyHash, StringComparer.Ordinal)],
    };

    /// <summary>Stands for a target whose identity providers were not read: every provider counts as configured.</summary>
    private sealed class AnyProvider : IReadOnlySet<string>
    {
        public static readonly AnyProvider Instance = new();

        public int Count => 0;

        public bool Contains(string item) => true;

        public IEnumerator<string> GetEnumerator() => Enumerable.Empty<string>().GetEnumerator();

        System.Collections.IEnumerator System.Collections.IEnumerable.GetEnumerator() => GetEnumerator();

        public bool IsProperSubsetOf(IEnumerable<string> other) => false;

        public bool IsProperSupersetOf(IEnumerable<string> other) => true;

        public bool IsSubsetOf(IEnumerable<string> other) => false;

        public bool IsSupersetOf(IEnumerable<string> other) => true;

        public bool Overlaps(IEnumerable<string> other) => other.Any();

        public bool SetEquals(IEnumerable<string> other) => false;
    }
}
