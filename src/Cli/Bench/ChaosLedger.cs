using IdentityReplicator.Core.Compare;
using IdentityReplicator.Core.Model;
using IdentityReplicator.Core.Pools;
using IdentityReplicator.Reconciler.Apply;

namespace IdentityReplicator.Cli.Bench;

/// <summary>What the benchmark intends one user to be after a change (the primary should hold exactly this).</summary>
internal sealed record ChaosUserState(string Username, IReadOnlyDictionary<string, string> Attributes, bool Enabled, string Status, IReadOnlySet<string> Groups)
{
    public DirectoryUser AsUser() => new(Username, null, Attributes, Enabled, Status);
}

/// <summary>How a standby user compares with what the benchmark intended.</summary>
internal enum ChaosVerdict
{
    InStep,

    /// <summary>Missing, or holding an earlier intended state (a change that never arrived).</summary>
    Lost,

    /// <summary>Present, and different from every state the user was ever meant to have.</summary>
    Wrong,
}

/// <summary>
/// The benchmark's own record of every user's intended state, change by change, kept apart from both pools: the
/// final state is what the standby must converge to, and the history tells a change that never arrived (the
/// standby holds an earlier state: <see cref="ChaosVerdict.Lost"/>) from a corruption (a state never intended:
/// <see cref="ChaosVerdict.Wrong"/>). It also knows each username's subs, old and current, to pick late events.
/// Thread-safe.
/// </summary>
internal sealed class ChaosLedger
{
    private readonly Lock _gate = new();
    private readonly Dictionary<string, List<ChaosUserState?>> _history = new(StringComparer.Ordinal);
    private readonly Dictionary<string, List<ChaosChangeKind>> _kinds = new(StringComparer.Ordinal);
    private readonly List<string> _usernames = [];
    private readonly Dictionary<string, string> _currentSub = new(StringComparer.Ordinal);
    private readonly Dictionary<string, string> _usernameOfSub = new(StringComparer.Ordinal);

    /// <summary>Every username ever created, in order of first creation.</summary>
    public IReadOnlyList<string> Usernames
    {
        get
        {
            lock (_gate)
            {
                return [.. _usernames];
            }
        }
    }

    public ChaosUserState? Current(string username)
    {
        lock (_gate)
        {
            return _history.TryGetValue(username, out var states) ? states[^1] : null;
        }
    }

    /// <summary>The kinds of change a user went through, in order (for the report of a user that did not arrive).</summary>
    public string Story(string username)
    {
        lock (_gate)
        {
            return _kinds.TryGetValue(username, out var kinds) ? string.Join(", ", kinds) : "never created by the benchmark";
        }
    }

    /// <summary>Records a change that succeeded in the primary; <paramref name="sub"/> is the new user's, for creations.</summary>
    public void Apply(ChaosChange change, string? sub)
    {
        lock (_gate)
        {
            if (!_history.TryGetValue(change.Username, out var states))
            {
                _history[change.Username] = states = [];
                _kinds[change.Username] = [];
                _usernames.Add(change.Username);
            }

            _kinds[change.Username].Add(change.Kind);

            var before = states.Count == 0 ? null : states[^1];
            states.Add(Next(change, before));
            if (sub is not null && change.Kind is ChaosChangeKind.Create or ChaosChangeKind.Recreate)
            {
                _currentSub[change.Username] = sub;
                _usernameOfSub[sub] = change.Username;
            }
        }
    }

    /// <summary>
    /// Whether <paramref name="sub"/> belonged to an earlier incarnation of a username that a live user holds now:
    /// an event naming it, delivered late, must not touch the live user.
    /// </summary>
    public bool IsOldSubOfLiveUsername(string sub)
    {
        lock (_gate)
        {
            return _usernameOfSub.TryGetValue(sub, out var username)
                && _currentSub.TryGetValue(username, out var current)
                && current != sub
                && _history[username][^1] is not null;
        }
    }

    /// <summary>Compares one standby user (null: absent) with the user's intended state and history.</summary>
    public ChaosVerdict Judge(string username, DirectoryUser? standby, IReadOnlyCollection<string> standbyGroups, Func<string, bool> isReplicatedAttribute)
    {
        List<ChaosUserState?> states;
        lock (_gate)
        {
            states = _history.TryGetValue(username, out var known) ? [.. known] : [null];
        }

        var intended = states[^1];
        var earlier = states.Take(states.Count - 1).OfType<ChaosUserState>().ToList();
        if (intended is null)
        {
            // Should be absent (deleted, or never created): present means the delete never arrived, or an invention.
            return standby is null ? ChaosVerdict.InStep : earlier.Count > 0 ? ChaosVerdict.Lost : ChaosVerdict.Wrong;
        }

        if (standby is null)
        {
            return ChaosVerdict.Lost;
        }

        var differences = UserComparison.Compare(intended.AsUser(), intended.Groups, standby, standbyGroups, isReplicatedAttribute);
        if (differences.Count == 0)
        {
            return ChaosVerdict.InStep;
        }

        // Each differing field must hold a value the user had before, else the standby made it up.
        return differences.All(field => earlier.Any(state => SameField(field, state, standby, standbyGroups)))
            ? ChaosVerdict.Lost
            : ChaosVerdict.Wrong;
    }

    private static bool SameField(string field, ChaosUserState state, DirectoryUser standby, IReadOnlyCollection<string> standbyGroups) => field switch
    {
        UserComparison.Enabled => state.Enabled == standby.Enabled,
        UserComparison.Status => ApplyEngine.TargetStatusFor(state.Status) == standby.Status,
        UserComparison.Groups => state.Groups.SetEquals(standbyGroups),
        _ when field.StartsWith(UserComparison.AttributePrefix, StringComparison.Ordinal) =>
            UserComparison.ValueOf(state.AsUser(), field[UserComparison.AttributePrefix.Length..]) == UserComparison.ValueOf(standby, field[UserComparison.AttributePrefix.Length..]),
        _ => false,
    };

    private static ChaosUserState? Next(ChaosChange change, ChaosUserState? user)
    {
        switch (change.Kind)
        {
            case ChaosChangeKind.Create or ChaosChangeKind.Recreate:
                var status = change.ViaSignUp ? UserStatuses.Confirmed : UserStatuses.ForceChangePassword;
                return new ChaosUserState(change.Username, new Dictionary<string, string>(change.Attributes!, StringComparer.Ordinal), Enabled: true, status, new HashSet<string>(StringComparer.Ordinal));
            case ChaosChangeKind.Delete:
                return null;
        }

        var current = user ?? throw new InvalidOperationException($"The plan changes {change.Username}, which does not exist at change {change.Sequence}.");
        return change.Kind switch
        {
            ChaosChangeKind.AttributeEdit => current with
            {
                Attributes = new Dictionary<string, string>(current.Attributes.Concat(change.Attributes!).GroupBy(a => a.Key).Select(g => g.Last()), StringComparer.Ordinal),
            },
            ChaosChangeKind.AttributeDelete => current with
            {
                Attributes = current.Attributes.Where(a => !change.AttributeNames!.Contains(a.Key)).ToDictionary(a => a.Key, a => a.Value, StringComparer.Ordinal),
            },
            ChaosChangeKind.Disable => current with { Enabled = false },
            ChaosChangeKind.Enable => current with { Enabled = true },
            ChaosChangeKind.GroupAdd => current with { Groups = new HashSet<string>(current.Groups.Append(change.Group!), StringComparer.Ordinal) },
            ChaosChangeKind.GroupRemove => current with { Groups = new HashSet<string>(current.Groups.Where(g => g != change.Group), StringComparer.Ordinal) },
            _ => throw new ArgumentOutOfRangeException(nameof(change), change.Kind, "Unknown change."),
        };
    }
}
