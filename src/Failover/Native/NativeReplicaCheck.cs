using System.Globalization;
using IdentityReplicator.Core.Cognito;
using IdentityReplicator.Core.Configuration;
using IdentityReplicator.Core.Pools;
using IdentityReplicator.Failover.Execution;
using IdentityReplicator.Failover.Plans;
using IdentityReplicator.Failover.Preflight;

namespace IdentityReplicator.Failover.Native;

/// <summary>
/// Preflight's <c>native-replica</c> check (plans in native mode): the Regional replica the run moves to is ACTIVE
/// (ListUserPoolReplicas in that Region), and — moving to the secondary — caught up: one canary round trip, the
/// worker's canary user written in the primary and read at the replica, must arrive within
/// <see cref="PreflightPlan.MaxReplicationLag"/>. A round trip rather than the worker's <c>/status</c>: it measures the
/// replica at the moment of the decision, needs no worker (which may run in the Region that is failing) and no URL in
/// the plan, and costs one UserUpdate and a few UserRead calls on a user nobody signs in as.
/// </summary>
internal static class NativeReplicaCheck
{
    /// <summary>How often the replica is read during the round trip: the resolution of the measured lag.</summary>
    private static readonly TimeSpan ReadEvery = TimeSpan.FromMilliseconds(100);

    public static async Task<CheckResult> RunAsync(FailoverPlan plan, FailoverPorts ports, PoolRole to, TimeProvider time, CancellationToken cancellationToken)
    {
        const string name = PreflightChecks.NativeReplica;
        if (ports.NativeReplicas is not { } replicas)
        {
            return new CheckResult(name, false, "no native replica port for this plan (cognito.mode: native needs one)");
        }

        var pool = plan.Pools.For(to);
        var listed = await replicas.ListAsync(to, cancellationToken);
        var replica = listed.FirstOrDefault(r => string.Equals(r.RegionName, pool.Region, StringComparison.Ordinal));
        if (replica is null)
        {
            return new CheckResult(name, false, $"ListUserPoolReplicas in {pool.Region} lists no replica of {pool.UserPoolId} in {pool.Region} ({Listed(listed)}); create one (CreateUserPoolReplica), fix pools.{to.Name()}.region, or set cognito.mode: replicator");
        }

        if (replica.Status != ReplicaStatus.Active)
        {
            return new CheckResult(name, false, $"the {Describe(replica)} replica of {pool.UserPoolId} in {pool.Region} is {replica.Status}, not ACTIVE; review its Regional settings and activate it (UpdateUserPoolReplica Status ACTIVE), or --force {name} to let the native-replica step activate it");
        }

        if (to == PoolRole.Primary)
        {
            return new CheckResult(name, true, $"the {Describe(replica)} replica in {pool.Region} is ACTIVE; failing back to the primary Region, which holds the pool's authoritative copy: no lag to wait for");
        }

        return await RoundTripAsync(plan, ports.Pools, replica, time, cancellationToken);
    }

    private static async Task<CheckResult> RoundTripAsync(FailoverPlan plan, PerPool<IUserDirectory> pools, UserPoolReplicaType replica, TimeProvider time, CancellationToken cancellationToken)
    {
        const string name = PreflightChecks.NativeReplica;
        var attribute = plan.Cognito.CanaryAttribute;
        var defaults = new NativeReplicationOptions();
        string[] lookups = plan.Cognito.CanaryUser is { } named ? [named] : [defaults.CanaryUsername, defaults.CanaryEmail];
        DirectoryUser? canary = null;
        string? lookup = null;
        foreach (var candidate in lookups)
        {
            if (await pools.Primary.FindUserAsync(candidate, cancellationToken) is { } found)
            {
                (canary, lookup) = (found, candidate);
                break;
            }
        }

        if (canary is null || lookup is null)
        {
            return new CheckResult(name, false, $"the replica in {plan.Region(PoolRole.Standby)} is ACTIVE, but the canary user ({string.Join(" or ", lookups)}) is not in the primary; run 'idrep worker' with Replication:Mode native once (it creates the canary), or name the canary in cognito.canaryUser");
        }

        var written = time.GetUtcNow();
        var value = written.ToUnixTimeMilliseconds();
        await pools.Primary.UpdateAttributesAsync(canary.Username, new Dictionary<string, string>(StringComparer.Ordinal) { [attribute] = value.ToString(CultureInfo.InvariantCulture) }, cancellationToken);
        var allowed = plan.Preflight.MaxReplicationLag;
        while (true)
        {
            var seen = await pools.Standby.FindUserAsync(lookup, cancellationToken);
            var lag = time.GetUtcNow() - written;
            // A newer value (the worker's canary) means ours arrived, or was overtaken by a later write that did.
            if (long.TryParse(seen?.Attributes.GetValueOrDefault(attribute), NumberStyles.None, CultureInfo.InvariantCulture, out var shown) && shown >= value)
            {
                return new CheckResult(name, true, $"the {Describe(replica)} replica in {replica.RegionName} is ACTIVE and caught up: a canary written in {plan.Region(PoolRole.Primary)} arrived after {lag.TotalMilliseconds:0} ms (allowed: {allowed.TotalSeconds:0.#} s)");
            }

            if (lag >= allowed)
            {
                return new CheckResult(name, false, $"the replica in {replica.RegionName} is ACTIVE but lags: a canary written in {plan.Region(PoolRole.Primary)} had not arrived after {lag.TotalSeconds:0.#} s (preflight.maxReplicationLag {allowed.TotalSeconds:0.#} s); wait and look again ('idrep status' shows the worker's canary), or --force {name} to accept the loss");
            }

            await Task.Delay(ReadEvery < allowed - lag ? ReadEvery : allowed - lag, time, cancellationToken);
        }
    }

    private static string Describe(UserPoolReplicaType replica) => replica.Role ?? "Regional";

    private static string Listed(IReadOnlyList<UserPoolReplicaType> listed) => listed.Count == 0
        ? "none listed"
        : "listed: " + string.Join(", ", listed.Select(r => $"{r.RegionName} {r.Role} {r.Status}"));
}
