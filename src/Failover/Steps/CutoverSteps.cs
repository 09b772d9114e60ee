using System.Collections.Immutable;
using IdentityReplicator.Core.Configuration;
using IdentityReplicator.Core.Rds;
using IdentityReplicator.Core.Route53;
using IdentityReplicator.Failover.Journeys;
using IdentityReplicator.Failover.Plans;

namespace IdentityReplicator.Failover.Steps;

/// <summary>
/// Promotes the target side's database (global switchover, or failover with AllowDataLoss when unplanned;
/// PromoteReadReplicaDBCluster; PromoteReadReplica) and waits until it accepts writes. A promotion already under way
/// is waited for, never requested twice.
/// </summary>
internal sealed class PromoteDatabaseStep : FailoverStep
{
    public const string StepName = "promote-database";

    public override string Name => StepName;

    public override IReadOnlyList<string> After => [FenceStep.StepName];

    public override string Describe(FailoverPlan plan, PoolRole from, PoolRole to) => plan.Database.Kind switch
    {
        DatabaseKind.GlobalCluster => plan.Database.Unplanned
            ? $"Fail over global database {plan.Database.GlobalClusterId} to {plan.Database.Resources!.For(to)} with AllowDataLoss; wait until writable."
            : $"Switch over global database {plan.Database.GlobalClusterId} to {plan.Database.Resources!.For(to)} (no data loss); wait until writable.",
        DatabaseKind.ReplicaCluster => $"Promote read replica cluster {plan.Database.Resources!.For(to)} in {plan.Region(to)}; wait until writable.",
        DatabaseKind.ReplicaInstance => $"Promote read replica instance {plan.Database.Resources!.For(to)} in {plan.Region(to)}; wait until writable.",
        _ => "No database in the plan: nothing to promote.",
    };

    public override async Task<StepOutcome> RunAsync(StepContext context, CancellationToken cancellationToken)
    {
        if (context.Ports.Database is not { } database)
        {
            return new StepOutcome(true, "no database in the plan");
        }

        var standby = context.To == PoolRole.Standby;
        var state = await database.DescribeAsync(standby, cancellationToken);
        if (!state.Exists)
        {
            throw new FailoverStepException($"The database to promote is missing: {state.Detail}; fix database.{(context.Plan.Database.Kind == DatabaseKind.ReplicaInstance ? "instances" : "clusters")}.{context.To.Name()} in the plan.");
        }

        if (state.Writable)
        {
            return new StepOutcome(true, $"writable already: {state.Detail}");
        }

        if (state.Lag is { } lag && !context.Data.ContainsKey("lagSeconds"))
        {
            // What an unplanned failover loses of the database: its replica lag at promotion.
            await context.SaveAsync("lagSeconds", lag.TotalSeconds.ToString("0.###", System.Globalization.CultureInfo.InvariantCulture));
        }

        var acted = false;
        if (!state.IsWriter && state.Status == "available" && !context.Data.ContainsKey("requested"))
        {
            await database.PromoteAsync(standby, context.Plan.Database.Unplanned, cancellationToken);
            await context.SaveAsync("requested", context.Time.GetUtcNow().UtcTicks.ToString(System.Globalization.CultureInfo.InvariantCulture));
            await context.ActedAsync();
            acted = true;
        }

        DatabaseState last = state;
        var writable = await context.WaitUntilAsync(
            async ct =>
            {
                last = await database.DescribeAsync(standby, ct);
                context.Progress($"promote-database: {last.Status}");
                return last.Writable;
            },
            context.Plan.Timeouts.Promotion,
            cancellationToken);
        if (!writable)
        {
            throw new FailoverStepException($"The database was not writable after {context.Plan.Timeouts.Promotion}: {last.Detail}. Check it in the RDS console, then 'idrep failover resume'.");
        }

        return new StepOutcome(false, $"{(acted ? "promoted" : "promotion already under way, waited")}: {last.Detail}");
    }
}

/// <summary>
/// Points the application's client configuration at the target side: every SSM parameter in every Region it lives in
/// gets the target side's value. Parameters that hold it already are left alone. A Region that cannot be written
/// while the target's can (the old Region is down) is reported, not fatal.
/// </summary>
internal sealed class ClientConfigStep : FailoverStep
{
    public const string StepName = "client-config";

    public override string Name => StepName;

    public override IReadOnlyList<string> After => [ReverseReplicationStep.StepName, PromoteDatabaseStep.StepName];

    public override string Describe(FailoverPlan plan, PoolRole from, PoolRole to) => plan.Parameters.IsEmpty
        ? "No client-config parameters in the plan."
        : $"Set {plan.Parameters.Length} parameter(s) ({string.Join(", ", plan.Parameters.Select(p => p.Name))}) to the {to.Name()} values in {string.Join(" and ", plan.Parameters.SelectMany(p => p.Regions).Distinct(StringComparer.Ordinal))}.";

    public override async Task<StepOutcome> RunAsync(StepContext context, CancellationToken cancellationToken)
    {
        if (context.Plan.Parameters.IsEmpty)
        {
            return new StepOutcome(true, "no client-config parameters in the plan");
        }

        var written = 0;
        var unchanged = 0;
        var warnings = new List<string>();
        foreach (var region in context.Plan.Parameters.SelectMany(p => p.Regions).Distinct(StringComparer.Ordinal))
        {
            var store = context.Ports.ClientConfig(region);
            var wanted = context.Plan.Parameters.Where(p => p.Regions.Contains(region)).ToList();
            try
            {
                var current = await store.GetAsync([.. wanted.Select(p => p.Name)], cancellationToken);
                foreach (var parameter in wanted)
                {
                    var value = parameter.Values.For(context.To);
                    if (current.TryGetValue(parameter.Name, out var existing) && existing.Value == value)
                    {
                        unchanged++;
                        continue;
                    }

                    await store.PutAsync(parameter.Name, value, parameter.Type, cancellationToken);
                    written++;
                    await context.ActedAsync();
                }

                var after = await store.GetAsync([.. wanted.Select(p => p.Name)], cancellationToken);
                var wrong = wanted.Where(p => !after.TryGetValue(p.Name, out var v) || v.Value != p.Values.For(context.To)).Select(p => p.Name).ToList();
                if (wrong.Count > 0)
                {
                    throw new FailoverStepException($"Parameter(s) {string.Join(", ", wrong)} in {region} do not read back with the {context.To.Name()} value; check for another writer, then resume.");
                }
            }
            catch (Exception e) when (e is not FailoverStepException and not OperationCanceledException && region != context.Plan.Region(context.To))
            {
                warnings.Add($"{region} could not be updated ({e.GetType().Name}); the run goes on — update it when the Region is back (a failback does)");
            }
        }

        var detail = $"{written} parameter value(s) written, {unchanged} already right" + (warnings.Count > 0 ? "; " + string.Join("; ", warnings) : string.Empty);
        return new StepOutcome(written == 0 && warnings.Count == 0, detail);
    }
}

/// <summary>
/// Points the Route 53 record sets at the target side (values, and weights for weighted routing) in one change batch,
/// and waits until Route 53 reports the change INSYNC. Records that hold the target's values already are left alone.
/// </summary>
internal sealed class DnsStep : FailoverStep
{
    public const string StepName = "dns";

    public override string Name => StepName;

    public override IReadOnlyList<string> After => [ReverseReplicationStep.StepName, PromoteDatabaseStep.StepName, CapacityStep.StepName];

    public override string Describe(FailoverPlan plan, PoolRole from, PoolRole to) => plan.Dns is null
        ? "No Route 53 records in the plan."
        : $"UPSERT {string.Join(", ", plan.Dns.Records.Select(r => $"{r} → {string.Join(",", r.Values.For(to))}{(r.Weights is null ? string.Empty : $" weight {r.Weights.For(to)}")}"))} in zone {plan.Dns.HostedZoneId}; wait for INSYNC.";

    public override async Task<StepOutcome> RunAsync(StepContext context, CancellationToken cancellationToken)
    {
        if (context.Plan.Dns is not { } plan || context.Ports.Dns is not { } dns)
        {
            return new StepOutcome(true, "no Route 53 records in the plan");
        }

        var changes = new List<ResourceRecordSet>();
        foreach (var record in plan.Records)
        {
            var desired = Desired(record, context.To);
            var current = (await dns.GetRecordSetsAsync(plan.HostedZoneId, record.Name, record.Type, cancellationToken))
                .FirstOrDefault(r => r.SetIdentifier == record.SetIdentifier);
            if (current is null || !Matches(current, desired))
            {
                changes.Add(desired);
            }
        }

        var acted = false;
        var changeId = context.Data.GetValueOrDefault("changeId");
        if (changes.Count > 0)
        {
            changeId = await dns.UpsertAsync(plan.HostedZoneId, changes, $"idrep failover run {context.RunId}: to {context.To.Name()}", cancellationToken);
            await context.SaveAsync("changeId", changeId);
            await context.ActedAsync();
            acted = true;
        }

        if (changeId is null)
        {
            return new StepOutcome(true, $"{plan.Records.Length} record(s) point at the {context.To.Name()} already");
        }

        var inSync = await context.WaitUntilAsync(ct => dns.IsInSyncAsync(changeId, ct), context.Plan.Timeouts.DnsSync, cancellationToken);
        if (!inSync)
        {
            throw new FailoverStepException($"Route 53 change {changeId} was not INSYNC after {context.Plan.Timeouts.DnsSync}; Route 53 may be slow — 'idrep failover resume' waits again without resubmitting.");
        }

        return new StepOutcome(false, $"{(acted ? $"changed {changes.Count}" : "earlier change of")} record(s); change {changeId} INSYNC");
    }

    internal static ResourceRecordSet Desired(RecordPlan record, PoolRole to) => new()
    {
        Name = record.Name,
        Type = record.Type,
        SetIdentifier = record.SetIdentifier,
        Weight = record.Weights?.For(to),
        Failover = record.Failover,
        TTL = record.Ttl,
        ResourceRecords = record.Values.For(to),
        HealthCheckId = record.HealthCheckId,
    };

    internal static bool Matches(ResourceRecordSet current, ResourceRecordSet desired) =>
        current.ResourceRecords.Order(StringComparer.Ordinal).SequenceEqual(desired.ResourceRecords.Order(StringComparer.Ordinal), StringComparer.Ordinal)
        && current.Weight == desired.Weight
        && current.TTL == desired.TTL;
}

/// <summary>
/// Verifies the cut-over from the outside: every health probe of the target side answers (HTTP 2xx, Route 53 health
/// check healthy) and every journey of the plan passes against the pool the run moves to (<see cref="JourneyRunner"/>:
/// password sign-in, client-credentials tokens direct and through the relay, a disabled user refused, group and
/// original-sub claims, hosted UI callback URLs). Retried until <see cref="TimeoutsPlan.Verify"/>; the journeys of the
/// last attempt are journaled with the step, passed or not, for the run report.
/// </summary>
internal sealed class VerifyStep : FailoverStep
{
    public const string StepName = "verify";

    public override string Name => StepName;

    public override IReadOnlyList<string> After => [ClientConfigStep.StepName, DnsStep.StepName];

    public override string Describe(FailoverPlan plan, PoolRole from, PoolRole to)
    {
        var journeys = JourneyRunner.Describe(plan, to);
        return $"Probe {plan.HealthProbes.Length} health probe(s) of the {to.Name()} side{(journeys.Count == 0 ? string.Empty : $" and run {journeys.Count} journey(s) against {plan.Pools.For(to).UserPoolId}: {string.Join(", ", journeys.Select(j => j.Name).Distinct(StringComparer.Ordinal))}")}.";
    }

    public override async Task<StepOutcome> RunAsync(StepContext context, CancellationToken cancellationToken)
    {
        var failures = new List<string>();
        var passes = new List<string>();
        IReadOnlyList<JourneyResult> journeys = [];
        var ok = await context.WaitUntilAsync(
            async ct =>
            {
                failures.Clear();
                passes.Clear();
                foreach (var probe in context.Plan.HealthProbes)
                {
                    if (probe.Urls.For(context.To) is { } url)
                    {
                        var (healthy, detail) = await context.Ports.Http.GetAsync(url, ct);
                        (healthy ? passes : failures).Add($"{probe.Name}: {detail}");
                    }

                    if (probe.HealthCheckIds.For(context.To) is { } check && context.Ports.Dns is { } dns)
                    {
                        var observations = await dns.GetHealthCheckStatusAsync(check, ct);
                        var healthy = observations.Count > 0 && observations.Count(o => o.IsHealthy) * 2 > observations.Count;
                        (healthy ? passes : failures).Add($"{probe.Name}: Route 53 health check {check} {observations.Count(o => o.IsHealthy)}/{observations.Count} healthy");
                    }
                }

                journeys = await new JourneyRunner(context.Plan, context.Ports.SignIn, context.Ports.Journeys, context.Ports.Tokens, context.Time).RunAsync(context.To, ct);
                foreach (var journey in journeys)
                {
                    (journey.Passed ? passes : failures).Add($"journey {journey.Name}: {journey.Detail}");
                }

                return failures.Count == 0;
            },
            context.Plan.Timeouts.Verify,
            cancellationToken);

        // Journaled pass or fail, so the run report shows each journey of the last attempt.
        await context.SaveAsync(JourneyRecords.DataKey, JourneyRecords.Encode(journeys));
        if (!ok)
        {
            throw new FailoverStepException($"Verification failed after {context.Plan.Timeouts.Verify}: {string.Join("; ", failures)}. Fix the {context.To.Name()} side, then 'idrep failover resume'.");
        }

        return new StepOutcome(false, string.Join("; ", passes), ImmutableDictionary<string, string>.Empty);
    }
}
