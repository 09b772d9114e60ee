using System.Text.Json.Nodes;

namespace IdentityReplicator.Sandbox.Cognito.NativeReplica;

/// <summary>
/// The sandbox's record of Cognito native replicas, shared by both Regions' fronts: which pool has a secondary in which
/// Region and in what status, the app clients of replicated pools (end-user calls name a client, not a pool), and the
/// user changes the secondary has not seen yet (the simulated replication lag: for <see cref="Lag"/> after a change in
/// the primary, the secondary still answers what the user was before it). In memory: a restarted sandbox has no replicas.
/// </summary>
internal sealed class NativeReplicaRegistry(TimeProvider time, TimeSpan lag)
{
    private readonly Lock _gate = new();
    private readonly Dictionary<string, Replica> _replicas = new(StringComparer.Ordinal);
    private readonly Dictionary<string, string> _clientPools = new(StringComparer.Ordinal);
    private readonly Dictionary<(string Pool, string Key), PendingChange> _pending = [];
    private readonly Dictionary<(string Pool, string Username), Dictionary<string, string>> _diverged = [];
    private readonly Dictionary<string, JsonObject> _regional = new(StringComparer.Ordinal);

    /// <summary>How long a change in the primary takes to reach the secondary (and a new replica to be created).</summary>
    public TimeSpan Lag { get; } = lag;

    public DateTimeOffset Now => time.GetUtcNow();

    /// <summary>The secondary of <paramref name="userPoolId"/>, its status brought up to date (CREATING turns INACTIVE after <see cref="Lag"/>).</summary>
    public Replica? Find(string userPoolId)
    {
        lock (_gate)
        {
            if (!_replicas.TryGetValue(userPoolId, out var replica))
            {
                return null;
            }

            if (replica.Status == Core.Cognito.ReplicaStatus.Creating && Now >= replica.Since + Lag)
            {
                replica = replica with { Status = Core.Cognito.ReplicaStatus.Inactive, Since = Now };
                _replicas[userPoolId] = replica;
            }

            return replica;
        }
    }

    /// <summary>Adds the secondary; false when the pool has one already (Cognito allows one).</summary>
    public bool TryAdd(string userPoolId, string primaryRegion, string secondaryRegion, string status)
    {
        lock (_gate)
        {
            return _replicas.TryAdd(userPoolId, new Replica(userPoolId, primaryRegion, secondaryRegion, status, Now));
        }
    }

    public Replica SetStatus(string userPoolId, string status)
    {
        lock (_gate)
        {
            var replica = _replicas[userPoolId] with { Status = status, Since = Now };
            _replicas[userPoolId] = replica;
            return replica;
        }
    }

    public void Remove(string userPoolId)
    {
        lock (_gate)
        {
            _replicas.Remove(userPoolId);
        }
    }

    public void RegisterClient(string clientId, string userPoolId)
    {
        lock (_gate)
        {
            _clientPools[clientId] = userPoolId;
        }
    }

    public string? PoolOfClient(string clientId)
    {
        lock (_gate)
        {
            return _clientPools.GetValueOrDefault(clientId);
        }
    }

    /// <summary>
    /// Records that the user known by <paramref name="keys"/> changed in the primary, and what AdminGetUser answered
    /// before (null: the user did not exist). A change while another is pending keeps the older before-state.
    /// </summary>
    public void RecordChange(string userPoolId, IEnumerable<string> keys, JsonObject? before)
    {
        lock (_gate)
        {
            var now = Now;
            foreach (var key in keys.Distinct(StringComparer.Ordinal))
            {
                _pending[(userPoolId, key)] = _pending.TryGetValue((userPoolId, key), out var earlier) && now < earlier.At + Lag
                    ? earlier with { At = now }
                    : new PendingChange(before?.DeepClone() as JsonObject, now);
            }
        }
    }

    /// <summary>The user as the secondary still sees it, when a change to it has not reached the secondary yet.</summary>
    public bool TryGetLagging(string userPoolId, string key, out JsonObject? before)
    {
        lock (_gate)
        {
            if (_pending.TryGetValue((userPoolId, key), out var change) && Now < change.At + Lag)
            {
                before = change.Before?.DeepClone() as JsonObject;
                return true;
            }

            _pending.Remove((userPoolId, key));
            before = null;
            return false;
        }
    }

    /// <summary>
    /// Makes the secondary show <paramref name="attributes"/> for the user <paramref name="username"/> from now on, whatever
    /// the primary holds: a replica gone out of step, for tests and demonstrations of native drift.
    /// </summary>
    public void Diverge(string userPoolId, string username, IReadOnlyDictionary<string, string> attributes)
    {
        lock (_gate)
        {
            _diverged[(userPoolId, username)] = new Dictionary<string, string>(attributes, StringComparer.Ordinal);
        }
    }

    /// <summary>The attributes the secondary shows differently for <paramref name="username"/>; null when it is in step.</summary>
    public IReadOnlyDictionary<string, string>? DivergedAttributes(string userPoolId, string username)
    {
        lock (_gate)
        {
            return _diverged.GetValueOrDefault((userPoolId, username));
        }
    }

    /// <summary>The secondary's own Regional settings (<see cref="SecondaryRegionalSettings"/>), a copy.</summary>
    public JsonObject Regional(string userPoolId)
    {
        lock (_gate)
        {
            return (JsonObject)(_regional.GetValueOrDefault(userPoolId) ?? SecondaryRegionalSettings.Initial()).DeepClone();
        }
    }

    public void UpdateRegional(string userPoolId, Action<JsonObject> update)
    {
        lock (_gate)
        {
            if (!_regional.TryGetValue(userPoolId, out var settings))
            {
                settings = SecondaryRegionalSettings.Initial();
                _regional[userPoolId] = settings;
            }

            update(settings);
        }
    }

    public sealed record Replica(string UserPoolId, string PrimaryRegion, string SecondaryRegion, string Status, DateTimeOffset Since);

    private sealed record PendingChange(JsonObject? Before, DateTimeOffset At);
}
