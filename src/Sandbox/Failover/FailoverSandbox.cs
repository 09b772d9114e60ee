using System.Globalization;
using System.Text;
using IdentityReplicator.Core.Cognito;
using IdentityReplicator.Core.Route53;
using IdentityReplicator.Sandbox.Capacity;
using IdentityReplicator.Sandbox.Kms;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;

namespace IdentityReplicator.Sandbox.Failover;

/// <summary>
/// What failover drills need around the two pools: local Route 53, RDS and SSM endpoints, and the application's
/// health endpoint per Region — provisioned like a small production setup (a hosted zone with the application's
/// record, a health check per Region, client-config parameters in both Regions, an Aurora global database), plus a
/// ready plan file for them.
/// </summary>
public sealed class FailoverSandbox : IAsyncDisposable
{
    public const string ZoneName = "sandbox.idrep.test.";
    public const string RecordName = "app.sandbox.idrep.test.";
    public const string GlobalClusterId = "idrep-sandbox-global";
    public const string PrimaryCluster = "app-east";
    public const string StandbyCluster = "app-west";
    public const string ParameterPrefix = "/idrep-sandbox/app/";
    public const string MonitoringUser = "monitor@sandbox.idrep.test";

    /// <summary>A monitoring user disabled in the primary: the disabled-user-refused journey expects every pool to refuse it.</summary>
    public const string DisabledMonitoringUser = "monitor-disabled@sandbox.idrep.test";

    /// <summary>The group <see cref="MonitoringUser"/> belongs to (the group-claims journey).</summary>
    public const string MonitoringGroup = "idrep-monitors";
    public const string Application = "idrep-sandbox-app";
    public const string PrimaryEnvironment = "app-east-env";
    public const string StandbyEnvironment = "app-west-env";

    /// <summary>The application tier's size while its Region serves, and while it waits as the warm standby.</summary>
    public const int ActiveSize = 4;
    public const int WarmSize = 1;

    /// <summary>The application's asset buckets, replicated both ways (their lag is served by the local CloudWatch).</summary>
    public const string PrimaryBucket = "idrep-sandbox-assets-east";
    public const string StandbyBucket = "idrep-sandbox-assets-west";

    /// <summary>The application's secret in Secrets Manager, replicated to the standby Region.</summary>
    public const string ApplicationSecret = "idrep-sandbox/app/database";

    /// <summary>The alias of the application's multi-Region KMS key (primary in the primary Region, a replica in the standby).</summary>
    public const string KmsAlias = "alias/idrep-sandbox-app";

    private readonly List<IAsyncDisposable> _owned = [];

    private FailoverSandbox()
    {
    }

    public LocalRoute53 Route53 { get; private set; } = null!;

    public LocalRds Rds { get; private set; } = null!;

    public LocalSsm Ssm { get; private set; } = null!;

    public LocalCloudWatch CloudWatch { get; private set; } = null!;

    /// <summary>KMS with the application's multi-Region key (<see cref="KmsAlias"/>).</summary>
    public LocalKms Kms { get; private set; } = null!;

    /// <summary>The <c>mrk-</c> id of the key <see cref="KmsAlias"/> names.</summary>
    public string KmsKeyId { get; private set; } = string.Empty;

    /// <summary>The sandbox's Secrets Manager (its plan checks <see cref="ApplicationSecret"/> there); null when started without one.</summary>
    public Uri? SecretsManagerUrl { get; private set; }

    /// <summary>The application tier: one Elastic Beanstalk environment per Region.</summary>
    public LocalElasticBeanstalk Beanstalk { get; private set; } = null!;

    public Uri ApplicationUrl { get; private set; } = null!;

    public string HostedZoneId { get; private set; } = string.Empty;

    public IReadOnlyDictionary<string, string> HealthCheckIds { get; private set; } = new Dictionary<string, string>();

    /// <summary>Regions whose application health endpoint answers 503 (to drill a failing verification).</summary>
    public HashSet<string> UnhealthyRegions { get; } = [];

    /// <summary>The record's value while a Region is active.</summary>
    public static string TargetFor(string region) => $"app.{region}.sandbox.idrep.test";

    /// <summary>The client-config parameters and their value per pool.</summary>
    public static IReadOnlyList<(string Name, Func<SandboxPool, string> Value)> Parameters { get; } =
    [
        (ParameterPrefix + "user-pool-id", p => p.UserPoolId),
        (ParameterPrefix + "client-id", p => p.AppClientId),
        (ParameterPrefix + "region", p => p.Region),
        (ParameterPrefix + "cognito-endpoint", p => p.Endpoint.ToString()),
    ];

    internal static async Task<FailoverSandbox> StartAsync(SandboxPool primary, SandboxPool standby, SandboxOptions options, TimeProvider time, Uri? secretsManager, CancellationToken cancellationToken)
    {
        var sandbox = new FailoverSandbox { SecretsManagerUrl = secretsManager };
        try
        {
            sandbox.Route53 = await LocalRoute53.StartAsync(time, options.DnsPropagationDelay, cancellationToken);
            sandbox._owned.Add(sandbox.Route53);
            sandbox.Rds = await LocalRds.StartAsync(time, options.PromotionDelay, cancellationToken);
            sandbox._owned.Add(sandbox.Rds);
            sandbox.Ssm = await LocalSsm.StartAsync(time, cancellationToken);
            sandbox._owned.Add(sandbox.Ssm);
            sandbox.CloudWatch = await LocalCloudWatch.StartAsync(time, cancellationToken);
            sandbox._owned.Add(sandbox.CloudWatch);
            sandbox.Kms = await LocalKms.StartAsync(time, cancellationToken);
            sandbox._owned.Add(sandbox.Kms);
            sandbox.KmsKeyId = sandbox.Kms.AddMultiRegionKey(KmsAlias, primary.Region, standby.Region);
            sandbox.Beanstalk = await LocalElasticBeanstalk.StartAsync(time, options.CapacityRamp, cancellationToken);
            sandbox._owned.Add(sandbox.Beanstalk);
            var application = await LocalServer.StartAsync(
                app => app.MapGet("/health/{region}", (string region) => sandbox.UnhealthyRegions.Contains(region) ? Results.StatusCode(503) : Results.Text("ok")),
                cancellationToken);
            sandbox._owned.Add(application);
            sandbox.ApplicationUrl = application.Url;
            sandbox.Provision(primary, standby);
            return sandbox;
        }
        catch
        {
            await sandbox.DisposeAsync();
            throw;
        }
    }

    /// <summary>The plan file for this sandbox (YAML, commented), as <c>idrep failover</c> reads it.</summary>
    public string Plan(SandboxPool primary, SandboxPool standby, Uri mirrorEndpoint, string tableName, int feedBuckets, string accessKey, System.Text.Json.Nodes.JsonObject? description = null)
    {
        var yaml = new StringBuilder();
        void Line(string text) => yaml.Append(text).Append('\n');
        Line("# A failover plan for the local sandbox, written by 'idrep sandbox up'. See docs/failover-plan.md.");
        Line("version: 1");
        Line("environment: sandbox");
        Line("drill: true                       # drills need no --confirm here");
        Line("pools:");
        foreach (var (side, pool) in new[] { ("primary", primary), ("standby", standby) })
        {
            Line($"  {side}:");
            Line($"    region: {pool.Region}");
            Line($"    userPoolId: {pool.UserPoolId}");
            Line($"    appClientId: {pool.AppClientId}");
            Line($"    endpoint: {pool.Endpoint}");
            foreach (var field in new[] { "tokenEndpoint", "jwksUri" })
            {
                if ((string?)description?[side]?[field] is { } url)
                {
                    Line($"    {field}: {url}");
                }
            }
        }

        Line("mirror:");
        Line($"  tableName: {tableName}");
        Line($"  feedBuckets: {feedBuckets.ToString(CultureInfo.InvariantCulture)}");
        Line("  endpoints:");
        Line($"    {primary.Region}: {mirrorEndpoint}");
        Line($"    {standby.Region}: {mirrorEndpoint}");
        Line("aws:                              # static keys: the sandbox only");
        Line($"  accessKeyId: {accessKey}");
        Line($"  secretAccessKey: {accessKey}");
        Line("endpoints:");
        Line($"  route53: {Route53.Url}");
        Line("  rds:");
        Line($"    {primary.Region}: {Rds.Url}");
        Line($"    {standby.Region}: {Rds.Url}");
        Line("  ssm:");
        Line($"    {primary.Region}: {Ssm.Url}");
        Line($"    {standby.Region}: {Ssm.Url}");
        Line("  cloudwatch:");
        Line($"    {primary.Region}: {CloudWatch.Url}");
        Line($"    {standby.Region}: {CloudWatch.Url}");
        Line("  kms:");
        Line($"    {primary.Region}: {Kms.Url}");
        Line($"    {standby.Region}: {Kms.Url}");
        if (SecretsManagerUrl is not null)
        {
            Line("  secretsmanager:");
            Line($"    {primary.Region}: {SecretsManagerUrl}");
            Line($"    {standby.Region}: {SecretsManagerUrl}");
        }

        Line("  elasticbeanstalk:");
        Line($"    {primary.Region}: {Beanstalk.Url}");
        Line($"    {standby.Region}: {Beanstalk.Url}");
        Line("clientConfig:");
        Line("  parameters:");
        foreach (var (name, value) in Parameters)
        {
            Line($"    - name: {name}");
            Line($"      values: {{ primary: \"{value(primary)}\", standby: \"{value(standby)}\" }}");
        }

        Line("dns:");
        Line($"  hostedZoneId: {HostedZoneId}");
        Line("  records:");
        Line($"    - name: {RecordName}");
        Line("      type: CNAME");
        Line("      ttl: 60");
        Line($"      values: {{ primary: {TargetFor(primary.Region)}, standby: {TargetFor(standby.Region)} }}");
        Line("database:");
        Line("  kind: globalCluster");
        Line($"  globalClusterId: {GlobalClusterId}");
        Line($"  clusters: {{ primary: {PrimaryCluster}, standby: {StandbyCluster} }}");
        Line("  mode: planned                   # switchover, no data loss");
        Line("healthProbes:");
        Line("  - name: application");
        Line($"    urls: {{ primary: {ApplicationUrl}health/{primary.Region}, standby: {ApplicationUrl}health/{standby.Region} }}");
        Line($"    route53HealthChecks: {{ primary: {HealthCheckIds[primary.Region]}, standby: {HealthCheckIds[standby.Region]} }}");
        Line("capacity:                         # the application tier: warm standby at 1, serving at 4");
        Line("  tiers:");
        Line("    - name: app");
        Line("      kind: beanstalk");
        Line($"      application: {Application}");
        Line($"      resources: {{ primary: {PrimaryEnvironment}, standby: {StandbyEnvironment} }}");
        Line($"      active: {ActiveSize.ToString(CultureInfo.InvariantCulture)}");
        Line($"      warm: {WarmSize.ToString(CultureInfo.InvariantCulture)}");
        Line("      lowerAfterVerify: true");
        Line("replicatedStores:                 # S3 lag (CloudWatch), the secret's replica, the KMS key's replica (warn only)");
        Line("  mode: warn");
        Line("  s3:");
        Line($"    - buckets: {{ primary: {PrimaryBucket}, standby: {StandbyBucket} }}");
        Line("      ruleIds: { primary: to-standby, standby: to-primary }");
        if (SecretsManagerUrl is not null)
        {
            Line("  secrets:");
            Line($"    - {ApplicationSecret}");
        }

        Line("  kmsKeys:");
        Line($"    - {KmsAlias}");
        Line("signIn:");
        Line($"  username: {MonitoringUser}");
        Line("preflight:");
        Line("  maxReplicationLag: 30s");
        Line("  maxDatabaseLag: 30s");
        Line("  driftSample: 200");
        Line("timeouts:");
        Line("  drain: 60s");
        Line("  promotion: 60s");
        Line("  dnsSync: 30s");
        Line("  verify: 30s");
        Line("  capacity: 60s");
        Line("  pollInterval: 100ms");
        return yaml.ToString();
    }

    /// <summary>Whether <see cref="SeedJourneyUsersAsync"/> ran: the plan then gets its <c>journeys:</c> section.</summary>
    public bool HasJourneyUsers { get; private set; }

    /// <summary>
    /// Creates the journeys' users in the primary pool, through its front so replication captures them as any change:
    /// <see cref="MonitoringUser"/> in <see cref="MonitoringGroup"/>, and <see cref="DisabledMonitoringUser"/>, disabled.
    /// Both with a verified email and no message. Idempotent (a user or group that exists is kept).
    /// </summary>
    public async Task SeedJourneyUsersAsync(CognitoIdentityProviderClient client, SandboxPool primary, CancellationToken cancellationToken)
    {
        try
        {
            await client.CreateGroupAsync(new CreateGroupRequest(MonitoringGroup, primary.UserPoolId) { Description = "Failover drill monitoring users" }, cancellationToken);
        }
        catch (GroupExistsException)
        {
        }

        foreach (var username in new[] { MonitoringUser, DisabledMonitoringUser })
        {
            try
            {
                await client.AdminCreateUserAsync(
                    new AdminCreateUserRequest
                    {
                        UserPoolId = primary.UserPoolId,
                        Username = username,
                        UserAttributes = [new("email", username), new("email_verified", "true")],
                        MessageAction = "SUPPRESS",
                    },
                    cancellationToken);
            }
            catch (UsernameExistsException)
            {
            }
        }

        await client.AdminAddUserToGroupAsync(new AdminAddUserToGroupRequest(primary.UserPoolId, MonitoringUser, MonitoringGroup), cancellationToken);
        await client.AdminDisableUserAsync(new AdminDisableUserRequest(primary.UserPoolId, DisabledMonitoringUser), cancellationToken);
        HasJourneyUsers = true;
    }

    /// <summary>
    /// The plan's <c>journeys:</c> section for this sandbox (empty unless <see cref="SeedJourneyUsersAsync"/> ran). The
    /// token journeys join when the sandbox describes OAuth2 endpoints (<paramref name="description"/>: per pool
    /// <c>tokenEndpoint</c> and <c>jwksUri</c>, and <c>relayEndpoint</c>); the pools' entries get them too.
    /// </summary>
    public string JourneysPlan(System.Text.Json.Nodes.JsonObject description)
    {
        if (!HasJourneyUsers)
        {
            return string.Empty;
        }

        var yaml = new StringBuilder();
        void Line(string text) => yaml.Append(text).Append('\n');
        var primaryToken = (string?)description["primary"]?["tokenEndpoint"];
        var standbyToken = (string?)description["standby"]?["tokenEndpoint"];
        var relay = (string?)description["relayEndpoint"];
        Line("journeys:                         # what verify proves against the new primary (docs/runbook-failover.md)");
        Line($"  disabledUser: {DisabledMonitoringUser}");
        Line($"  groups: [{MonitoringGroup}]");
        Line("  primarySubClaim: primary_sub");
        Line($"  callbackUrls: [{Cognito.SandboxPoolConfiguration.CallbackUrl}]");
        if (primaryToken is not null && standbyToken is not null)
        {
            Line("  machineClients:");
            Line($"    - name: {Cognito.SandboxPoolConfiguration.MachineClientName}");
            Line($"      scopes: [{Cognito.SandboxPoolConfiguration.ResourceServer}/read]");
            if (relay is not null)
            {
                Line($"  relayEndpoint: {relay}");
            }
        }

        return yaml.ToString();
    }

    public async ValueTask DisposeAsync()
    {
        for (var i = _owned.Count - 1; i >= 0; i--)
        {
            await _owned[i].DisposeAsync();
        }

        _owned.Clear();
    }

    private void Provision(SandboxPool primary, SandboxPool standby)
    {
        HostedZoneId = Route53.CreateZone(ZoneName);
        Route53.Put(HostedZoneId, new ResourceRecordSet { Name = RecordName, Type = "CNAME", TTL = 60, ResourceRecords = [TargetFor(primary.Region)] });
        HealthCheckIds = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            [primary.Region] = Route53.AddHealthCheck(healthy: true),
            [standby.Region] = Route53.AddHealthCheck(healthy: true),
        };
        foreach (var region in new[] { primary.Region, standby.Region })
        {
            foreach (var (name, value) in Parameters)
            {
                Ssm.Put(region, name, value(primary));
            }
        }

        var east = Rds.AddCluster(primary.Region, PrimaryCluster);
        var west = Rds.AddCluster(standby.Region, StandbyCluster);
        Rds.AddGlobalCluster(GlobalClusterId, east, west);

        // The application tier: serving in the primary Region, a warm standby of one instance in the other.
        Beanstalk.AddEnvironment(primary.Region, Application, PrimaryEnvironment, min: ActiveSize, max: ActiveSize);
        Beanstalk.AddEnvironment(standby.Region, Application, StandbyEnvironment, min: WarmSize, max: ActiveSize);

        // The replica lag Aurora reports for each side while it is the secondary (milliseconds).
        CloudWatch.Set(standby.Region, "AuroraGlobalDBReplicationLag", StandbyCluster, 42, "Milliseconds");
        CloudWatch.Set(primary.Region, "AuroraGlobalDBReplicationLag", PrimaryCluster, 37, "Milliseconds");

        // S3 replication metrics of each side's bucket (published in the source bucket's Region; seconds and a count).
        foreach (var (region, bucket) in new[] { (primary.Region, PrimaryBucket), (standby.Region, StandbyBucket) })
        {
            CloudWatch.Set(region, "ReplicationLatency", bucket, 8, "Seconds");
            CloudWatch.Set(region, "OperationsPendingReplication", bucket, 0, "Count");
        }
    }
}
