using IdentityReplicator.Core.Aws;
using IdentityReplicator.Core.ClientConfig;
using IdentityReplicator.Core.CloudWatch;
using IdentityReplicator.Core.Cognito;
using IdentityReplicator.Core.Configuration;
using IdentityReplicator.Core.Control;
using IdentityReplicator.Core.Mirror;
using IdentityReplicator.Core.PoolConfiguration;
using IdentityReplicator.Core.Pools;
using IdentityReplicator.Core.Quotas;
using IdentityReplicator.Core.Rds;
using IdentityReplicator.Core.Route53;
using IdentityReplicator.Core.SecretsManager;
using IdentityReplicator.Failover.Journal;
using IdentityReplicator.Failover.Plans;
using IdentityReplicator.Failover.Preflight;

namespace IdentityReplicator.Failover.Execution;

/// <summary>
/// Everything a run talks to, behind ports: the replication control item, the journal, DNS, the database, client
/// config per Region, both pools, replication lag, HTTP probes and the synthetic sign-in. <see cref="Create"/> builds
/// them on AWS (or the endpoints the plan names); tests build them from fakes.
/// </summary>
public sealed class FailoverPorts : IDisposable
{
    private readonly List<IDisposable> _owned = [];

    public required IReplicationControlStore Control { get; init; }

    public required IExecutionJournal Journal { get; init; }

    public IDnsSwitch? Dns { get; init; }

    public IDatabasePromoter? Database { get; init; }

    public required Func<string, IClientConfigStore> ClientConfig { get; init; }

    public required PerPool<IUserDirectory> Pools { get; init; }

    /// <summary>Both pools' configuration, for preflight's configuration comparison (none: not compared).</summary>
    public PerPool<IPoolConfigurationDirectory>? Configuration { get; init; }

    public required IReplicationLag Lag { get; init; }

    public required ISignInProbe SignIn { get; init; }

    public required IHttpProbe Http { get; init; }

    /// <summary>The pools as the journeys of <c>verify</c> use them (none: only password-sign-in runs).</summary>
    public Journeys.IJourneyPools? Journeys { get; init; }

    /// <summary>OAuth2 token endpoints and JWKS, for the m2m-token and relay-token journeys.</summary>
    public Journeys.ITokenEndpoint? Tokens { get; init; }

    /// <summary>The application tiers of the plan's capacity section (none: the plan has none).</summary>
    public IApplicationCapacity? Capacity { get; init; }

    /// <summary>The pool's Cognito native replicas (plans in native mode; none otherwise).</summary>
    internal Native.INativeReplicas? NativeReplicas { get; init; }

    /// <summary>S3 replication metrics, secret and KMS key replicas (the plan's replicatedStores section).</summary>
    public IReplicatedStores? ReplicatedStores { get; init; }

    /// <summary>
    /// Builds the ports for a run towards <paramref name="to"/>: the mirror table is read and written in that side's
    /// Region (the other may be down), every other service in the Region it belongs to.
    /// </summary>
    public static FailoverPorts Create(FailoverPlan plan, PoolRole to, TimeProvider time)
    {
        var credentials = new AwsCredentialOptions
        {
            Profile = plan.Aws.Profile,
            AccessKeyId = plan.Aws.AccessKeyId,
            SecretAccessKey = plan.Aws.SecretAccessKey,
        }.Resolve();
        var mirrorOptions = new MirrorOptions
        {
            TableName = plan.Mirror.TableName,
            FeedBuckets = plan.Mirror.FeedBuckets,
            Endpoints = plan.Mirror.Endpoints.ToDictionary(e => e.Key, e => e.Value.ToString(), StringComparer.Ordinal),
        };
        var mirrorClients = new MirrorClients(mirrorOptions, credentials);
        var dynamo = mirrorClients.For(plan.Region(to));
        var http = new HttpClient { Timeout = TimeSpan.FromSeconds(10) };
        var ssm = new Dictionary<string, SsmParameterStore>(StringComparer.Ordinal);
        var rds = new Dictionary<string, RdsClient>(StringComparer.Ordinal);
        var metrics = new Dictionary<string, CloudWatchClient>(StringComparer.Ordinal);
        // Preflight's drift sample and the sign-in share the application's Cognito quotas: a small share of them.
        var governor = new QuotaGovernor(new QuotaOptions { Share = 0.2 }, time, "failover");
        CognitoIdentityProviderClient Client(PoolRole role) =>
            CognitoIdentityProviderClient.Create(new AwsEndpoint(plan.Region(role), plan.Pools.For(role).Endpoint), credentials, governor);
        var clients = new PerPool<CognitoIdentityProviderClient>(Client(PoolRole.Primary), Client(PoolRole.Standby));
        // Published client secrets are read from Secrets Manager in the pool's Region (on AWS endpoints; an emulator's are not).
        IPoolConfigurationDirectory Directory(PoolRole role, CognitoIdentityProviderClient client) => new CognitoPoolConfigurationDirectory(
            client,
            plan.Pools.For(role).UserPoolId,
            plan.Region(role),
            plan.Pools.For(role).Endpoint is null ? SecretsManagerClient.Create(new AwsEndpoint(plan.Region(role)), credentials) : null);
        SecretsManagerClient? SecretsFor(PoolRole role) => plan.Pools.For(role).Endpoint is null || plan.Endpoints.SecretsManager.ContainsKey(plan.Region(role))
            ? SecretsManagerClient.Create(new AwsEndpoint(plan.Region(role), plan.Endpoints.SecretsManager.GetValueOrDefault(plan.Region(role))), credentials)
            : null;
        var ports = new FailoverPorts
        {
            Control = new DynamoDbReplicationControlStore(dynamo, mirrorOptions),
            Journal = new DynamoDbExecutionJournal(dynamo, plan.Mirror.TableName),
            Dns = plan.Dns is null ? null : new Route53DnsSwitch(Route53Client.Create(credentials, plan.Endpoints.Route53)),
            Database = plan.Database.Kind == DatabaseKind.None || plan.Database.Resources is null
                ? null
                : new RdsDatabasePromoter(
                    new DatabaseTopology(plan.Database.Kind, plan.Database.GlobalClusterId, plan.Region(PoolRole.Primary), plan.Database.Resources.Primary, plan.Region(PoolRole.Standby), plan.Database.Resources.Standby),
                    region =>
                    {
                        lock (rds)
                        {
                            return rds.TryGetValue(region, out var client)
                                ? client
                                : rds[region] = RdsClient.Create(new AwsEndpoint(region, plan.Endpoints.Rds.GetValueOrDefault(region)), credentials);
                        }
                    },
                    region =>
                    {
                        lock (metrics)
                        {
                            return metrics.TryGetValue(region, out var client)
                                ? client
                                : metrics[region] = CloudWatchClient.Create(new AwsEndpoint(region, plan.Endpoints.CloudWatch.GetValueOrDefault(region)), credentials);
                        }
                    },
                    time),
            ClientConfig = region =>
            {
                lock (ssm)
                {
                    return ssm.TryGetValue(region, out var store)
                        ? store
                        : ssm[region] = new SsmParameterStore(new AwsEndpoint(region, plan.Endpoints.Ssm.GetValueOrDefault(region)), credentials);
                }
            },
            Pools = new PerPool<IUserDirectory>(
                new CognitoUserDirectory(clients.Primary, plan.Pools.Primary.UserPoolId),
                new CognitoUserDirectory(clients.Standby, plan.Pools.Standby.UserPoolId)),
            Configuration = new PerPool<IPoolConfigurationDirectory>(Directory(PoolRole.Primary, clients.Primary), Directory(PoolRole.Standby, clients.Standby)),
            Lag = new MirrorReplicationLag(
                new DynamoDbMirrorStore(dynamo, mirrorOptions, time),
                new DynamoDbReplicaStateStore(dynamo, mirrorOptions),
                plan.Mirror.FeedBuckets),
            SignIn = new CognitoSignInProbe(plan, clients),
            Http = new HttpProbe(http),
            Journeys = new Journeys.CognitoJourneyPools(
                plan,
                clients,
                new PerPool<SecretsManagerClient?>(SecretsFor(PoolRole.Primary), SecretsFor(PoolRole.Standby))),
            Tokens = new Journeys.HttpTokenEndpoint(http),
            Capacity = plan.Capacity.Tiers.IsEmpty ? null : CapacityPorts.Create(plan, credentials),
            ReplicatedStores = CapacityPorts.ReplicatedStores(plan, credentials, time),
            NativeReplicas = plan.Cognito.IsNative ? new Native.CognitoNativeReplicas(plan, clients) : null,
        };
        ports._owned.Add(mirrorClients);
        ports._owned.Add(http);
        ports._owned.Add(new Disposer(() =>
        {
            foreach (var store in ssm.Values)
            {
                store.Dispose();
            }
        }));
        return ports;
    }

    public void Dispose()
    {
        foreach (var owned in _owned)
        {
            owned.Dispose();
        }
    }

    private sealed class Disposer(Action dispose) : IDisposable
    {
        public void Dispose() => dispose();
    }
}
