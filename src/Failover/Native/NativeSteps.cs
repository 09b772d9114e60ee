using IdentityReplicator.Core.Cognito;
using IdentityReplicator.Core.Configuration;
using IdentityReplicator.Failover.Plans;
using IdentityReplicator.Failover.Steps;

namespace IdentityReplicator.Failover.Native;

/// <summary>
/// The steps of a run in native mode (<c>cognito.mode: native</c>). Cognito replicates the users, so the mirror's
/// fence, drain and reversal do not apply: they stay in the graph, named, and report themselves skipped. The
/// <see cref="NativeReplicaStep"/> makes sure the Regional replica the run moves to serves end users, and the
/// client-config and DNS steps wait for it — the client configuration then moves the application to the other Region
/// (the same pool id). Database, capacity, verify and journal/resume are today's.
/// </summary>
internal static class NativeSteps
{
    public static IReadOnlyList<FailoverStep> All(FailoverPlan plan) =>
    [
        new NotInNativeMode(new FenceStep(), "there is no mirror writer to fence; Cognito refuses user writes at the secondary itself"),
        new NotInNativeMode(new DrainStep(), "Cognito replicates the users; preflight's native-replica check measured the replica's lag"),
        new CapacityStep(plan.Capacity.ParallelWithDatabase),
        new PromoteDatabaseStep(),
        new NotInNativeMode(new ReverseReplicationStep(), "Cognito keeps replicating from the pool's primary Region; no direction to reverse"),
        new NativeReplicaStep(),
        new AlsoAfter(new ClientConfigStep(), NativeReplicaStep.StepName),
        new AlsoAfter(new DnsStep(), NativeReplicaStep.StepName),
        new VerifyStep(),
        new CapacityLowerStep(),
    ];
}

/// <summary>
/// The Regional replica the run moves to serves end users: ACTIVE in ListUserPoolReplicas (called in that Region). An
/// INACTIVE one is activated (UpdateUserPoolReplica Status ACTIVE, which both Regions may call) and waited for; an
/// ACTIVE one is left alone, so a resumed run repeats nothing. The replica's role is not changed: no replica operation
/// changes it, and a secondary serves sign-in and tokens (docs/design/native-replication.md). Failing back finds the
/// primary Region ACTIVE and leaves the secondary as it is (ACTIVE, replicating).
/// </summary>
internal sealed class NativeReplicaStep : FailoverStep
{
    public const string StepName = "native-replica";

    public override string Name => StepName;

    public override IReadOnlyList<string> After => [];

    public override string Describe(FailoverPlan plan, PoolRole from, PoolRole to) =>
        $"Check that {plan.Pools.For(to).UserPoolId}'s replica in {plan.Region(to)} is ACTIVE (activate it with UpdateUserPoolReplica if INACTIVE); the same pool id then serves from {plan.Region(to)}, and client-config points the application there.";

    public override async Task<StepOutcome> RunAsync(StepContext context, CancellationToken cancellationToken)
    {
        if (context.Ports.NativeReplicas is not { } replicas)
        {
            throw new FailoverStepException("The plan is in native mode but the run has no native replica port; this is a bug — report it.");
        }

        var region = context.Plan.Region(context.To);
        var pool = context.Plan.Pools.For(context.To).UserPoolId;
        var replica = await FindAsync(replicas, context.To, region, pool, cancellationToken);
        if (replica.Status == ReplicaStatus.Active)
        {
            return new StepOutcome(true, $"the {replica.Role} replica of {pool} in {region} is ACTIVE already");
        }

        var acted = false;
        if (replica.Status == ReplicaStatus.Inactive && !context.Data.ContainsKey("activated"))
        {
            await replicas.SetStatusAsync(context.To, region, ReplicaStatus.Active, cancellationToken);
            await context.SaveAsync("activated", context.Time.GetUtcNow().UtcTicks.ToString(System.Globalization.CultureInfo.InvariantCulture));
            await context.ActedAsync();
            acted = true;
        }
        else if (replica.Status is not ReplicaStatus.Inactive)
        {
            throw new FailoverStepException($"The replica of {pool} in {region} is {replica.Status}; it cannot serve end users. Wait for it to be created, or fail over to a Region whose replica is ACTIVE.");
        }

        var last = replica;
        var active = await context.WaitUntilAsync(
            async ct =>
            {
                last = await FindAsync(replicas, context.To, region, pool, ct);
                context.Progress($"native-replica: {last.Status}");
                return last.Status == ReplicaStatus.Active;
            },
            context.Plan.Timeouts.Verify,
            cancellationToken);
        return active
            ? new StepOutcome(false, $"{(acted ? "activated" : "activation already requested, waited for")} the {last.Role} replica of {pool} in {region}: ACTIVE")
            : throw new FailoverStepException($"The replica of {pool} in {region} was still {last.Status} after {context.Plan.Timeouts.Verify}; check it in the Cognito console, then 'idrep failover resume'.");
    }

    private static async Task<UserPoolReplicaType> FindAsync(INativeReplicas replicas, PoolRole at, string region, string pool, CancellationToken cancellationToken) =>
        (await replicas.ListAsync(at, cancellationToken)).FirstOrDefault(r => string.Equals(r.RegionName, region, StringComparison.Ordinal))
        ?? throw new FailoverStepException($"ListUserPoolReplicas in {region} lists no replica of {pool} there; the plan's pools.*.region must name the pool's Regions (or set cognito.mode: replicator).");
}

/// <summary>A replicator-only step in a native-mode run: kept in the graph and the journal, reporting itself skipped and why.</summary>
internal sealed class NotInNativeMode(FailoverStep inner, string why) : FailoverStep
{
    public override string Name => inner.Name;

    public override IReadOnlyList<string> After => inner.After;

    public override string Describe(FailoverPlan plan, PoolRole from, PoolRole to) => $"Skipped in native mode: {why}.";

    public override Task<StepOutcome> RunAsync(StepContext context, CancellationToken cancellationToken) =>
        Task.FromResult(new StepOutcome(true, $"skipped in native mode: {why}"));
}

/// <summary>A step that, in native mode, also waits for <paramref name="also"/>.</summary>
internal sealed class AlsoAfter(FailoverStep inner, string also) : FailoverStep
{
    public override string Name => inner.Name;

    public override IReadOnlyList<string> After => [.. inner.After, also];

    public override string Describe(FailoverPlan plan, PoolRole from, PoolRole to) => inner.Describe(plan, from, to);

    public override Task<StepOutcome> RunAsync(StepContext context, CancellationToken cancellationToken) => inner.RunAsync(context, cancellationToken);
}
