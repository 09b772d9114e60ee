using Amazon.Runtime;
using IdentityReplicator.Core.Aws;
using IdentityReplicator.Core.Compare;
using IdentityReplicator.Core.Configuration;
using IdentityReplicator.Core.Model;
using IdentityReplicator.Core.Pools;
using IdentityReplicator.Failover.Execution;
using IdentityReplicator.Failover.Plans;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace IdentityReplicator.Failover.Preflight;

/// <summary>The result of one preflight check. A failed check stops a run unless <c>--force</c> names it.</summary>
public sealed record CheckResult(string Name, bool Passed, string Detail, bool Forced = false);

/// <summary>
/// Readiness checks before anything changes: credentials can make every call (a dry run of reads), everything the
/// plan names exists, the target pool has not drifted (a sample of users compared by the reconciler's rules, and the
/// pools' configuration as drift compares it: <see cref="ConfigurationDriftCheck"/>), replication is
/// caught up, the target database is healthy, and the target side's health checks pass. Checks run in parallel.
/// </summary>
public sealed class PreflightChecks(FailoverPlan plan, FailoverPorts ports, TimeProvider time, ILogger? logger = null)
{
    public const string Credentials = "credentials";
    public const string PlanResources = "plan-resources";
    public const string Drift = "standby-drift";
    public const string ReplicationLag = "replication-lag";
    public const string Database = "database";
    public const string Health = "health";
    public const string Capacity = "capacity";
    public const string S3Replication = "s3-replication";
    public const string SecretReplicas = "secret-replicas";
    public const string KmsReplicas = "kms-replicas";
    public const string NativeReplica = "native-replica";

    public static IReadOnlyList<string> Names { get; } = [Credentials, PlanResources, Drift, ReplicationLag, Database, Health, Capacity, S3Replication, SecretReplicas, KmsReplicas, NativeReplica];

    public async Task<IReadOnlyList<CheckResult>> RunAsync(PoolRole from, PoolRole to, CancellationToken cancellationToken)
    {
        var checks = new List<(string Name, Func<Task<CheckResult>> Run)>
        {
            (Credentials, () => CredentialsAsync(cancellationToken)),
            (PlanResources, () => ResourcesAsync(cancellationToken)),
            (Drift, () => DriftAsync(from, to, cancellationToken)),
            (ReplicationLag, () => plan.Cognito.IsNative ? Task.FromResult(NotInNativeMode) : LagAsync(to, cancellationToken)),
            (Database, () => DatabaseAsync(to, cancellationToken)),
            (Health, () => HealthAsync(to, cancellationToken)),
            (Capacity, () => CapacityCheck.RunAsync(plan, ports.Capacity, from, to, cancellationToken)),
            (S3Replication, () => ReplicatedStoreChecks.S3Async(plan, ports.ReplicatedStores, from, to, cancellationToken)),
            (SecretReplicas, () => ReplicatedStoreChecks.SecretsAsync(plan, ports.ReplicatedStores, from, to, cancellationToken)),
            (KmsReplicas, () => ReplicatedStoreChecks.KmsAsync(plan, ports.ReplicatedStores, from, to, cancellationToken)),
        };
        if (plan.Cognito.IsNative)
        {
            checks.Add((NativeReplica, () => Native.NativeReplicaCheck.RunAsync(plan, ports, to, time, cancellationToken)));
        }

        return await Task.WhenAll(checks.Select(async c =>
        {
            try
            {
                return await c.Run();
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                Log.CheckCouldNotRun(logger ?? NullLogger.Instance, c.Name, e);
                return new CheckResult(c.Name, false, $"could not run: {Describe(e)}");
            }
        }));
    }

    private async Task<CheckResult> CredentialsAsync(CancellationToken cancellationToken)
    {
        var calls = new List<(string What, Func<Task> Call)>
        {
            ($"dynamodb:GetItem on mirror table '{plan.Mirror.TableName}'", () => ports.Control.GetAsync(cancellationToken)),
            ($"cognito-idp:DescribeUserPool on {plan.Pools.Primary.UserPoolId}", () => ports.Pools.Primary.DescribeAsync(cancellationToken)),
            ($"cognito-idp:DescribeUserPool on {plan.Pools.Standby.UserPoolId}", () => ports.Pools.Standby.DescribeAsync(cancellationToken)),
        };
        if (plan.Dns is { } dns && ports.Dns is { } dnsSwitch)
        {
            calls.Add(($"route53:GetHostedZone on {dns.HostedZoneId}", () => dnsSwitch.GetZoneAsync(dns.HostedZoneId, cancellationToken)));
        }

        foreach (var region in plan.Parameters.SelectMany(p => p.Regions).Distinct(StringComparer.Ordinal))
        {
            var name = plan.Parameters.First(p => p.Regions.Contains(region)).Name;
            calls.Add(($"ssm:GetParameters in {region}", () => ports.ClientConfig(region).GetAsync([name], cancellationToken)));
        }

        if (ports.Database is { } database)
        {
            calls.Add(("rds:Describe* (both Regions)", async () =>
            {
                await database.DescribeAsync(standby: false, cancellationToken);
                await database.DescribeAsync(standby: true, cancellationToken);
            }));
        }

        var problems = new List<string>();
        await Task.WhenAll(calls.Select(async call =>
        {
            try
            {
                await call.Call();
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                if (IsAuthProblem(e) || e is HttpRequestException || e.InnerException is HttpRequestException)
                {
                    lock (problems)
                    {
                        problems.Add($"{call.What}: {Describe(e)}");
                    }
                }
            }
        }));
        return problems.Count == 0
            ? new CheckResult(Credentials, true, $"{calls.Count} read call(s) allowed")
            : new CheckResult(Credentials, false, string.Join("; ", problems) + " — grant the permissions in docs/permissions.md#failover-operator-policy, or check the endpoint");
    }

    private async Task<CheckResult> ResourcesAsync(CancellationToken cancellationToken)
    {
        var missing = new List<string>();
        if (plan.Dns is { } dns && ports.Dns is { } dnsSwitch)
        {
            if (await dnsSwitch.GetZoneAsync(dns.HostedZoneId, cancellationToken) is null)
            {
                missing.Add($"dns.hostedZoneId '{dns.HostedZoneId}' does not exist; fix the id (see 'aws route53 list-hosted-zones')");
            }
            else
            {
                for (var i = 0; i < dns.Records.Length; i++)
                {
                    var record = dns.Records[i];
                    var sets = await dnsSwitch.GetRecordSetsAsync(dns.HostedZoneId, record.Name, record.Type, cancellationToken);
                    if (!sets.Any(s => s.SetIdentifier == record.SetIdentifier))
                    {
                        missing.Add($"dns.records[{i}] '{record}' does not exist in hosted zone {dns.HostedZoneId}; fix its name, type or setIdentifier, or create the record");
                    }
                }
            }
        }

        foreach (var region in plan.Parameters.SelectMany(p => p.Regions).Distinct(StringComparer.Ordinal))
        {
            var names = plan.Parameters.Where(p => p.Regions.Contains(region)).Select(p => p.Name).ToList();
            var found = await ports.ClientConfig(region).GetAsync(names, cancellationToken);
            foreach (var name in names.Where(n => !found.ContainsKey(n)))
            {
                var index = plan.Parameters.IndexOf(plan.Parameters.First(p => p.Name == name));
                missing.Add($"clientConfig.parameters[{index}] '{name}' does not exist in {region}; fix the name or create it ('aws ssm put-parameter --region {region} --name {name} …')");
            }
        }

        if (ports.Database is { } database)
        {
            foreach (var standby in new[] { false, true })
            {
                var state = await database.DescribeAsync(standby, cancellationToken);
                if (!state.Exists)
                {
                    missing.Add($"database ({(standby ? "standby" : "primary")}): {state.Detail}; fix database in the plan");
                }
            }
        }

        return missing.Count == 0
            ? new CheckResult(PlanResources, true, $"hosted zone, {plan.Dns?.Records.Length ?? 0} record(s), {plan.Parameters.Length} parameter(s) and the database exist")
            : new CheckResult(PlanResources, false, string.Join("; ", missing));
    }

    /// <summary>Users (a sample) and, unless <c>preflight.configurationDrift: off</c>, the pools' configuration.</summary>
    private async Task<CheckResult> DriftAsync(PoolRole from, PoolRole to, CancellationToken cancellationToken)
    {
        var users = await UserDriftAsync(from, to, cancellationToken);
        var configuration = await ConfigurationDriftCheck.RunAsync(ports.Configuration, plan.Preflight.ConfigurationDrift, from, to, cancellationToken);
        return configuration is null ? users : users with { Passed = users.Passed && !configuration.Blocks, Detail = $"{users.Detail}; {configuration.Detail}" };
    }

    private async Task<CheckResult> UserDriftAsync(PoolRole from, PoolRole to, CancellationToken cancellationToken)
    {
        if (plan.Preflight.DriftSample == 0)
        {
            return new CheckResult(Drift, true, "sample size 0: not compared");
        }

        var source = ports.Pools.For(from);
        var target = ports.Pools.For(to);
        var targetPool = await target.DescribeAsync(cancellationToken);
        // The reconciler's rule: Cognito-managed attributes, exclusions, and the original-sub attribute are not compared.
        var excluded = plan.Preflight.ExcludeAttributes.ToHashSet(StringComparer.Ordinal);
        if (!string.IsNullOrEmpty(plan.Preflight.PrimarySubAttribute))
        {
            excluded.Add(plan.Preflight.PrimarySubAttribute);
        }

        if (plan.Cognito.IsNative)
        {
            // The canary's attribute differs by the replica's lag by design (the native-replica check writes it in parallel).
            excluded.Add(plan.Cognito.CanaryAttribute);
        }

        bool Replicated(string name) => !UserProfile.IsPseudoAttribute(name) && name != "identities" && !excluded.Contains(name);

        var compared = 0;
        var drifted = new List<string>();
        await foreach (var user in source.ListUsersAsync(cancellationToken))
        {
            if (compared >= plan.Preflight.DriftSample)
            {
                break;
            }

            if (!UserComparison.IsReplicated(user) || (plan.SignIn is { } signIn && IsMonitoringUser(user, signIn.Username)))
            {
                continue;
            }

            compared++;
            var name = targetPool.CreationName(user.Username, user.Attributes);
            var counterpart = name is null ? null : await target.FindUserAsync(name, cancellationToken);
            var sourceGroups = await source.ListGroupsForUserAsync(user.Username, cancellationToken);
            var targetGroups = counterpart is null ? null : await target.ListGroupsForUserAsync(counterpart.Username, cancellationToken);
            var differences = UserComparison.Compare(user, sourceGroups, counterpart, targetGroups, Replicated);
            if (differences.Count > 0)
            {
                drifted.Add($"{IdentityKeys.Fingerprint(user.Username)} ({string.Join(", ", differences)})");
            }
        }

        var passed = drifted.Count <= plan.Preflight.MaxDriftedUsers;
        return new CheckResult(
            Drift,
            passed,
            drifted.Count == 0
                ? $"{compared} sampled user(s) identical in {target.PoolId}"
                : $"{drifted.Count} of {compared} sampled user(s) differ in {target.PoolId}: {string.Join("; ", drifted.Take(10))}{(passed ? " (within preflight.maxDriftedUsers)" : " — let replication catch up or repair the drift, or raise preflight.maxDriftedUsers")}");
    }

    /// <summary>Native mode: Cognito replicates users, so the mirror's lag says nothing; said in the check list, not dropped silently.</summary>
    private static CheckResult NotInNativeMode { get; } = new(ReplicationLag, true, "skipped in native mode: Cognito replicates the users, not the mirror table — the native-replica check measures the replica");

    private async Task<CheckResult> LagAsync(PoolRole to, CancellationToken cancellationToken)
    {
        var control = await ports.Control.GetAsync(cancellationToken) ?? plan.ConfiguredControl();
        if (control.SourcePoolId == plan.Pools.For(to).UserPoolId)
        {
            return new CheckResult(ReplicationLag, true, $"replication already runs from the {to.Name()} ({control})");
        }

        var report = await ports.Lag.MeasureAsync(control, cancellationToken);
        var age = report.OldestUnappliedAge(time.GetUtcNow());
        var passed = age <= plan.Preflight.MaxReplicationLag;
        var detail = report.Unapplied == 0
            ? $"caught up: {report.Examined} recent change(s) all applied{(report.NewestApplied is { } newest ? $", the newest {Math.Max(0, (time.GetUtcNow() - newest).TotalSeconds):0.#} s ago" : string.Empty)}"
            : $"{report.Unapplied} change(s) not applied yet, the oldest {age.TotalSeconds:0.#} s old{(report.OldestUnappliedEntity is { } entity ? $" ({entity})" : string.Empty)} (allowed: {plan.Preflight.MaxReplicationLag.TotalSeconds:0.#} s){(passed ? string.Empty : "; is 'idrep worker' running for " + control.TargetRegion + "?")}";
        return new CheckResult(ReplicationLag, passed, detail);
    }

    private async Task<CheckResult> DatabaseAsync(PoolRole to, CancellationToken cancellationToken)
    {
        if (ports.Database is not { } database)
        {
            return new CheckResult(Database, true, "no database in the plan");
        }

        var target = await database.DescribeAsync(to == PoolRole.Standby, cancellationToken);
        if (!target.Exists)
        {
            return new CheckResult(Database, false, target.Detail);
        }

        if (target.Writable)
        {
            return new CheckResult(Database, true, $"the {to.Name()} is writable already: {target.Detail}");
        }

        var lag = target.Lag is { } l ? $"; replica lag {l.TotalSeconds:0.###} s" : "; replica lag not reported";
        if (!target.ReplicationHealthy && !plan.Database.Unplanned)
        {
            return new CheckResult(Database, false, $"{target.Detail}{lag}: replication is not healthy; a planned switchover would fail — wait, or use database.mode: unplanned");
        }

        return target.Lag > plan.Preflight.MaxDatabaseLag && !plan.Database.Unplanned
            ? new CheckResult(Database, false, $"{target.Detail}{lag}, more than preflight.maxDatabaseLag ({plan.Preflight.MaxDatabaseLag.TotalSeconds:0.#} s); wait for it to catch up")
            : new CheckResult(Database, true, target.Detail + lag);
    }

    private async Task<CheckResult> HealthAsync(PoolRole to, CancellationToken cancellationToken)
    {
        var failures = new List<string>();
        var checkedCount = 0;
        foreach (var probe in plan.HealthProbes)
        {
            if (probe.Urls.For(to) is { } url)
            {
                checkedCount++;
                var (healthy, detail) = await ports.Http.GetAsync(url, cancellationToken);
                if (!healthy)
                {
                    failures.Add($"{probe.Name} ({url}): {detail}");
                }
            }

            if (probe.HealthCheckIds.For(to) is { } id && ports.Dns is { } dns)
            {
                checkedCount++;
                var observations = await dns.GetHealthCheckStatusAsync(id, cancellationToken);
                if (observations.Count == 0 || observations.Count(o => o.IsHealthy) * 2 <= observations.Count)
                {
                    failures.Add($"{probe.Name}: Route 53 health check {id} is unhealthy ({observations.Count(o => o.IsHealthy)}/{observations.Count} checkers report success)");
                }
            }
        }

        return failures.Count == 0
            ? new CheckResult(Health, true, $"{checkedCount} probe(s) of the {to.Name()} side healthy")
            : new CheckResult(Health, false, string.Join("; ", failures) + $" — the {to.Name()} side must be healthy before traffic moves there");
    }

    private static bool IsMonitoringUser(DirectoryUser user, string username) =>
        string.Equals(user.Username, username, StringComparison.OrdinalIgnoreCase)
        || string.Equals(user.Attributes.GetValueOrDefault("email"), username, StringComparison.OrdinalIgnoreCase);

    internal static bool IsAuthProblem(Exception e) => e switch
    {
        AwsServiceException aws => IsAuthCode(aws.ErrorCode),
        AmazonServiceException amazon => IsAuthCode(amazon.ErrorCode),
        { InnerException: { } inner } => IsAuthProblem(inner),
        _ => false,
    };

    private static bool IsAuthCode(string? code) => code is "AccessDenied" or "AccessDeniedException" or "UnrecognizedClientException"
        or "InvalidClientTokenId" or "ExpiredToken" or "ExpiredTokenException" or "SignatureDoesNotMatch" or "InvalidSignatureException"
        or "MissingAuthenticationToken" or "AuthFailure" or "UnauthorizedOperation";

    internal static string Describe(Exception e) => e switch
    {
        AwsServiceException aws => $"{aws.Service} {aws.ErrorCode}",
        AmazonServiceException amazon => $"{amazon.ErrorCode ?? amazon.GetType().Name}",
        HttpRequestException http => $"cannot reach the endpoint ({http.HttpRequestError})",
        { InnerException: { } inner } => Describe(inner),
        _ => e.GetType().Name,
    };
}
