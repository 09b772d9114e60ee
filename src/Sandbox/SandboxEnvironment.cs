using System.Globalization;
using System.Security.Cryptography;
using Amazon.DynamoDBv2;
using Amazon.Runtime;
using IdentityReplicator.Core.Aws;
using IdentityReplicator.Core.Cognito;
using IdentityReplicator.Core.Mirror;
using IdentityReplicator.Sandbox.Cognito;
using IdentityReplicator.Sandbox.Cognito.NativeReplica;
using IdentityReplicator.Sandbox.Emulators;
using IdentityReplicator.Sandbox.EventBridge;
using IdentityReplicator.Sandbox.Failover;
using IdentityReplicator.Sandbox.Lambda;
using IdentityReplicator.Sandbox.OAuth;
using IdentityReplicator.Sandbox.Proxy;
using IdentityReplicator.Sandbox.SecretsManager;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Logging;

namespace IdentityReplicator.Sandbox;

/// <summary>One of the sandbox's two pools.</summary>
public sealed record SandboxPool(string Region, string UserPoolId, Uri Endpoint, string AppClientId)
{
    /// <summary>The pool's OAuth 2.0 token endpoint (<c>…/oauth2/token</c>, client_credentials; docs/sandbox.md).</summary>
    public Uri TokenEndpoint { get; init; } = null!;

    /// <summary>The pool's JWKS (<c>…/.well-known/jwks.json</c>): the keys its tokens are signed with.</summary>
    public Uri JwksUri { get; init; } = null!;

    /// <summary>The <c>iss</c> of the pool's tokens: <c>https://cognito-idp.{region}.amazonaws.com/{userPoolId}</c>.</summary>
    public string Issuer { get; init; } = string.Empty;
}

/// <summary>
/// The local two-Region environment: two cognito-local processes (primary and standby pools, each behind a front
/// that makes up for the emulator's gaps), dynalite for the mirror table, a Lambda Invoke endpoint that runs the
/// real Replicator handler for the emulator's triggers, and on request s3rver for drift reports. Everything listens on
/// 127.0.0.1 and stops on dispose.
/// </summary>
/// <remarks>
/// This class starts the parts in order and hands them out; each part is built where its concern lives:
/// the emulator processes in <see cref="SandboxEmulators"/>, a pool's front and its interceptor chain in
/// <see cref="PoolFront"/> and <see cref="FrontInterceptors"/>, the Replicator's endpoint and event rules in
/// <see cref="SandboxReplicator"/>, the failover endpoints in <see cref="FailoverSandbox"/>, the config and plan
/// files in <see cref="SandboxFiles"/>, and the JSON line in <see cref="SandboxDescription"/>.
/// </remarks>
public sealed class SandboxEnvironment : IAsyncDisposable
{
    public const string AccessKey = "sandbox";

    /// <summary>The bucket the sandbox's S3 starts with (scheduled drift reports go there).</summary>
    public const string ReportBucket = "idrep-drift-reports";

    /// <summary>The confidential client both pools have (client_credentials, one secret value in both).</summary>
    public const string MachineClientName = SandboxPoolConfiguration.MachineClientName;

    private readonly List<IAsyncDisposable> _owned = [];
    private readonly Dictionary<string, PoolFront> _fronts = new(StringComparer.Ordinal);
    private readonly bool _deleteData;
    private readonly AmazonDynamoDBClient _dynamo;
    private SandboxReplicator? _replicator;

    private SandboxEnvironment(string dataDirectory, bool deleteData, AmazonDynamoDBClient dynamo)
    {
        DataDirectory = dataDirectory;
        _deleteData = deleteData;
        _dynamo = dynamo;
    }

    public string DataDirectory { get; }

    public SandboxPool Primary { get; private set; } = null!;

    public SandboxPool Standby { get; private set; } = null!;

    public Uri MirrorEndpoint { get; private set; } = null!;

    public string TableName { get; private set; } = string.Empty;

    public int FeedBuckets { get; private set; }

    public Uri LambdaEndpoint { get; private set; } = null!;

    /// <summary>The local S3 (path-style), when <see cref="SandboxOptions.S3"/> asked for it; else null.</summary>
    public Uri? S3Endpoint { get; private set; }

    /// <summary>The local EventBridge (one bus standing for both Regions' default buses).</summary>
    public LocalEventBus EventBus { get; private set; } = null!;

    /// <summary>
    /// The local Secrets Manager (JSON 1.1, both Regions) holding the client secrets the pools keep there
    /// (<c>PublishSecretsInAWSSecretsManager</c>): what a <c>ClientSecretArn</c> is read from.
    /// </summary>
    public Uri SecretsManagerEndpoint { get; private set; } = null!;

    /// <summary>The token relay (<c>…/oauth2/token</c>): M2M callers' one token endpoint, which follows a failover.</summary>
    public Uri RelayEndpoint { get; private set; } = null!;

    /// <summary>The local Secrets Manager itself (a test turns a replica out of sync through it).</summary>
    internal LocalSecretsManager SecretsManager { get; private set; } = null!;

    /// <summary>The code cognito-local sends for every confirmation (so the demo can call ConfirmSignUp).</summary>
    public string ConfirmationCode { get; private set; } = string.Empty;

    /// <summary>A config file for <c>idrep --config</c> that points at this sandbox.</summary>
    public string ConfigFile => Path.Combine(DataDirectory, "idrep.json");

    /// <summary>
    /// With <see cref="SandboxOptions.NativeReplica"/>: a config file in native mode (<c>Replication:Mode</c> <c>native</c>,
    /// the standby being the primary's simulated native replica); null otherwise.
    /// </summary>
    public string? NativeConfigFile => NativeReplica is null ? null : Path.Combine(DataDirectory, "idrep-native.json");

    /// <summary>A failover plan for <c>idrep failover … --plan</c> that fits this sandbox.</summary>
    public string PlanFile => Path.Combine(DataDirectory, "failover-plan.yaml");

    /// <summary>With <see cref="SandboxOptions.NativeReplica"/>: the failover plan in native mode (<c>cognito.mode: native</c>, the replica as the standby).</summary>
    public string? NativePlanFile => NativeReplica is null ? null : Path.Combine(DataDirectory, "failover-plan-native.yaml");

    /// <summary>The local Route 53, RDS, SSM and application health endpoints that failover drills use.</summary>
    public FailoverSandbox Failover { get; private set; } = null!;

    /// <summary>
    /// With <see cref="SandboxOptions.NativeReplica"/>: the primary pool's simulated Cognito native replica — the same
    /// pool id and app client, at the standby Region's endpoint. Null otherwise.
    /// </summary>
    public SandboxPool? NativeReplica { get; private set; }

    /// <summary>The native replicas both fronts serve (the four replica operations work on any sandbox).</summary>
    internal NativeReplicaRegistry NativeReplicas { get; private set; } = null!;

    /// <summary>Process ids of the emulators (tests check none survives).</summary>
    public IReadOnlyList<int> ProcessIds { get; private set; } = [];

    public static AWSCredentials Credentials { get; } = new BasicAWSCredentials(AccessKey, AccessKey);

    public IAmazonDynamoDB Dynamo => _dynamo;

    public static async Task<SandboxEnvironment> StartAsync(SandboxOptions options, ILoggerFactory loggers, TimeProvider time, CancellationToken cancellationToken)
    {
        var logger = loggers.CreateLogger<SandboxEnvironment>();
        var install = await EmulatorPackages.EnsureInstalledAsync(logger, time, cancellationToken, options.Progress);
        var deleteData = options.DataDirectory is null;
        var dataDirectory = options.DataDirectory ?? Path.Combine(Path.GetTempPath(), "idrep-sandbox-" + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(6)));
        Directory.CreateDirectory(dataDirectory);

        NodeProcess? dynalite = null;
        SandboxEnvironment? sandbox = null;
        try
        {
            dynalite = await Dynalite.StartAsync(install, dataDirectory, time, cancellationToken);
            var dynamo = new AmazonDynamoDBClient(Credentials, new AmazonDynamoDBConfig { ServiceURL = dynalite.Url.ToString(), AuthenticationRegion = options.PrimaryRegion });
            sandbox = new SandboxEnvironment(dataDirectory, deleteData, dynamo)
            {
                MirrorEndpoint = dynalite.Url,
                TableName = options.TableName,
                FeedBuckets = options.FeedBuckets,
                ConfirmationCode = RandomNumberGenerator.GetInt32(100000, 1000000).ToString(CultureInfo.InvariantCulture),
            };
            sandbox._owned.Add(dynalite);
            await sandbox.BuildAsync(install, options, loggers, time, cancellationToken);
            return sandbox;
        }
        catch
        {
            if (sandbox is not null)
            {
                await sandbox.DisposeAsync();
            }
            else if (dynalite is not null)
            {
                await dynalite.DisposeAsync();
            }

            throw;
        }
    }

    /// <summary>A Cognito client for one of the pools, through its front (no rate limiting).</summary>
    public CognitoIdentityProviderClient Client(SandboxPool pool, ICognitoCallPolicy? policy = null) =>
        CognitoIdentityProviderClient.Create(new AwsEndpoint(pool.Region, pool.Endpoint), Credentials, policy);

    /// <summary>The quota proxy in front of a pool (switch it on or off, read its counters).</summary>
    public QuotaProxy QuotaProxyOf(SandboxPool pool) => _fronts[pool.Region].Interceptors.Quotas;

    /// <summary>The fault injector in front of a pool.</summary>
    public FaultInjector FaultsOf(SandboxPool pool) => _fronts[pool.Region].Interceptors.Faults;

    /// <summary>The settings of <see cref="ConfigFile"/>, as configuration.</summary>
    public IConfiguration Configuration(IDictionary<string, string?>? overrides = null)
    {
        var builder = new ConfigurationBuilder().AddJsonFile(ConfigFile, optional: false, reloadOnChange: false);
        if (overrides is not null)
        {
            builder.AddInMemoryCollection(overrides);
        }

        return builder.Build();
    }

    /// <summary>One line describing the sandbox, for scripts.</summary>
    public string DescribeAsJson() => SandboxDescription.Of(this);

    public async ValueTask DisposeAsync()
    {
        // Reverse order of starting, after telling the Replicator that what the stopping emulators abort is expected.
        _replicator?.Stopping();
        for (var i = _owned.Count - 1; i >= 0; i--)
        {
            try
            {
                await _owned[i].DisposeAsync();
            }
            catch (Exception e) when (e is InvalidOperationException or IOException or OperationCanceledException)
            {
                // Keep stopping the rest.
            }
        }

        _owned.Clear();
        _dynamo.Dispose();
        if (_deleteData)
        {
            try
            {
                Directory.Delete(DataDirectory, recursive: true);
            }
            catch (IOException)
            {
                // A file still held by a dying process; the temporary folder is cleaned by the OS eventually.
            }
        }
    }

    /// <summary>The Cognito front of a pool (tests read its interceptor chain).</summary>
    internal CognitoFront FrontOf(SandboxPool pool) => _fronts[pool.Region].Front;

    /// <summary>Everything after dynalite, in dependency order; whatever started is owned, so dispose stops it.</summary>
    private async Task BuildAsync(string install, SandboxOptions options, ILoggerFactory loggers, TimeProvider time, CancellationToken cancellationToken)
    {
        await MirrorTable.CreateAsync(_dynamo, options.TableName, options.FeedBuckets, time, cancellationToken);

        var replicator = _replicator = new SandboxReplicator();
        var lambda = await replicator.StartInvokeEndpointAsync(cancellationToken);
        _owned.Add(lambda);
        LambdaEndpoint = lambda.Url;
        EventBus = await LocalEventBus.StartAsync(time, options.PrimaryRegion, loggers.CreateLogger<LocalEventBus>(), retry: null, cancellationToken);
        _owned.Add(EventBus);

        var emulators = await SandboxEmulators.StartAsync(install, DataDirectory, lambda.Url, ConfirmationCode, options, _owned.Add, time, cancellationToken);
        S3Endpoint = emulators.S3?.Url;
        ProcessIds = [.. _owned.OfType<NodeProcess>().Select(p => p.ProcessId)];

        var lambdaHttp = new HttpClient { BaseAddress = lambda.Url, Timeout = TimeSpan.FromSeconds(10) };
        _owned.Add(new DisposableAdapter(lambdaHttp));
        NativeReplicas = new NativeReplicaRegistry(time, options.NativeReplicaLag);
        var native = new NativeReplicaWiring(NativeReplicas, region => _fronts.TryGetValue(region, out var front) ? front.Front.Url : null);
        var primary = await StartPoolAsync(emulators.Primary, options.PrimaryRegion, "primary", options, lambdaHttp, time, native, cancellationToken);
        var standby = await StartPoolAsync(emulators.Standby, options.StandbyRegion, "standby", options, lambdaHttp, time, native, cancellationToken);
        Primary = primary;
        Standby = standby;
        NativeReplicas.RegisterClient(primary.AppClientId, primary.UserPoolId);
        if (options.NativeReplica)
        {
            NativeReplicas.TryAdd(primary.UserPoolId, primary.Region, standby.Region, Core.Cognito.ReplicaStatus.Active);
            NativeReplica = primary with { Region = standby.Region, Endpoint = standby.Endpoint };
        }
        await SandboxPoolConfiguration.ProvisionAsync(Client(primary), primary.UserPoolId, Client(standby), standby.UserPoolId, cancellationToken);
        var secretsManager = await LocalSecretsManager.StartAsync(
            (region, secretId) => _fronts.TryGetValue(region, out var front) ? front.Interceptors.Configuration.FindSecret(secretId) : null,
            time,
            cancellationToken);
        _owned.Add(secretsManager);
        SecretsManagerEndpoint = secretsManager.Url;
        SecretsManager = secretsManager;

        // The application's own secret, replicated to the standby Region by Secrets Manager (failover preflight checks it).
        secretsManager.AddReplicated(FailoverSandbox.ApplicationSecret, primary.Region, "{\"username\":\"app\",\"password\":\"sandbox-only\"}", standby.Region);
        replicator.Connect(_dynamo, primary, standby, Client, EventBus, options, loggers, time);
        var relay = await SandboxRelay.StartAsync(_dynamo, TableName, primary, standby, loggers, time, cancellationToken);
        _owned.Add(relay);
        RelayEndpoint = relay.TokenEndpoint;

        await SandboxFiles.WriteConfigAsync(this, cancellationToken);
        Failover = await FailoverSandbox.StartAsync(primary, standby, options, time, secretsManager.Url, cancellationToken);
        _owned.Add(Failover);
        if (options.JourneyUsers)
        {
            await Failover.SeedJourneyUsersAsync(Client(primary), primary, cancellationToken);
        }

        await SandboxFiles.WritePlanAsync(this, cancellationToken);
    }

    private async Task<SandboxPool> StartPoolAsync(
        NodeProcess emulator, string region, string name, SandboxOptions options, HttpClient lambdaHttp, TimeProvider time, NativeReplicaWiring native, CancellationToken cancellationToken)
    {
        var front = await PoolFront.StartAsync(emulator.Url, region, Path.Combine(DataDirectory, name), options, EventBus, lambdaHttp, time, native, cancellationToken);
        _owned.Add(front);
        _fronts[region] = front;
        var attributes = options.CustomAttributes.Concat(name == "primary" ? options.PrimaryOnlyAttributes : []);
        var pool = await front.CreatePoolAsync(region, name, attributes, options.SignInByEmail, cancellationToken);
        var oauth = await PoolOAuthServer.StartAsync(region, pool.UserPoolId, front.Interceptors.Configuration, Path.Combine(DataDirectory, name), time, cancellationToken);
        _owned.Add(oauth);
        return pool with { TokenEndpoint = oauth.TokenEndpoint, JwksUri = oauth.JwksUri, Issuer = oauth.Issuer };
    }

    private sealed class DisposableAdapter(IDisposable inner) : IAsyncDisposable
    {
        public ValueTask DisposeAsync()
        {
            inner.Dispose();
            return ValueTask.CompletedTask;
        }
    }
}
