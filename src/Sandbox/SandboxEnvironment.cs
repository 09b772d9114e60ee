using System.Globalization;
using System.Security.Cryptography;
using System.Text.Json;
using System.Text.Json.Nodes;
using Amazon.DynamoDBv2;
using Amazon.Runtime;
using IdentityReplicator.Core.Aws;
using IdentityReplicator.Core.Cognito;
using IdentityReplicator.Core.Control;
using IdentityReplicator.Core.EventBridge;
using IdentityReplicator.Core.Pools;
using IdentityReplicator.Core.Quotas;
using IdentityReplicator.Core.Mirror;
using IdentityReplicator.Replicator.Capture;
using IdentityReplicator.Replicator.Lambda;
using IdentityReplicator.Sandbox.Cognito;
using IdentityReplicator.Sandbox.Emulators;
using IdentityReplicator.Sandbox.EventBridge;
using IdentityReplicator.Sandbox.Failover;
using IdentityReplicator.Sandbox.Lambda;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Logging;

namespace IdentityReplicator.Sandbox;

/// <summary>How to build the sandbox.</summary>
public sealed partial record SandboxOptions
{
    public string PrimaryRegion { get; init; } = "us-east-1";

    public string StandbyRegion { get; init; } = "us-west-2";

    /// <summary>Pools sign in by email (Cognito gives each user a UUID username), as most applications do; else by username.</summary>
    public bool SignInByEmail { get; init; } = true;

    public string TableName { get; init; } = MirrorOptions.DefaultTableName;

    public int FeedBuckets { get; init; } = MirrorOptions.DefaultFeedBuckets;

    /// <summary>
    /// Custom attributes both pools get (without the <c>custom:</c> prefix). <c>primary_sub</c> carries each standby
    /// user's original <c>sub</c> (Replication:PrimarySubAttribute).
    /// </summary>
    public IReadOnlyList<string> CustomAttributes { get; init; } = ["tier", "plan", "department", Core.Configuration.ReplicationOptions.PrimarySubSchemaAttribute];

    /// <summary>Custom attributes only the primary gets (to exercise schema mismatches).</summary>
    public IReadOnlyList<string> PrimaryOnlyAttributes { get; init; } = [];

    public TimeSpan TriggerBudget { get; init; } = TimeSpan.FromMilliseconds(1500);

    /// <summary>How long an Aurora promotion takes in the local RDS (short: drills measure the tool, not AWS).</summary>
    public TimeSpan PromotionDelay { get; init; } = TimeSpan.FromSeconds(1);

    /// <summary>How long a Route 53 change stays PENDING before INSYNC in the local Route 53.</summary>
    public TimeSpan DnsPropagationDelay { get; init; } = TimeSpan.FromMilliseconds(500);

    /// <summary>Whether calls through the fronts are recorded as CloudTrail events and delivered to the Replicator.</summary>
    public bool RecordCloudTrail { get; init; } = true;

    /// <summary>
    /// How long a CloudTrail event takes to reach the Replicator. On AWS, management events reach EventBridge
    /// typically within seconds (longer under load); zero makes the sandbox's event path as fast as it can be.
    /// </summary>
    public TimeSpan CloudTrailDelay { get; init; } = TimeSpan.Zero;

    /// <summary>Where emulator state and the config file go; a fresh temporary folder (deleted on dispose) when null.</summary>
    public string? DataDirectory { get; init; }

    /// <summary>
    /// Whether to run a local S3 (s3rver) with the bucket <see cref="SandboxEnvironment.ReportBucket"/>, and point the
    /// config file's <c>Drift:OutputBucket</c> at it. Off by default: it adds an emulator process (about 1.5 s of start,
    /// in parallel with the others, and 70 MB) that only drift-report storage needs.
    /// </summary>
    public bool S3 { get; init; }
}

/// <summary>One of the sandbox's two pools.</summary>
public sealed record SandboxPool(string Region, string UserPoolId, Uri Endpoint, string AppClientId);

/// <summary>
/// The local two-Region environment: two cognito-local processes (primary and standby pools, each behind a front
/// that makes up for the emulator's gaps), dynalite for the mirror table, a Lambda Invoke endpoint that runs the
/// real Replicator handler for the emulator's triggers, and on request s3rver for drift reports. Everything listens on
/// 127.0.0.1 and stops on dispose.
/// </summary>
public sealed partial class SandboxEnvironment : IAsyncDisposable
{
    public const string AccessKey = "sandbox";

    /// <summary>The bucket the sandbox's S3 starts with (scheduled drift reports go there).</summary>
    public const string ReportBucket = "idrep-drift-reports";

    private readonly List<IAsyncDisposable> _owned = [];
    private readonly bool _deleteData;
    private readonly AmazonDynamoDBClient _dynamo;

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

    /// <summary>The code cognito-local sends for every confirmation (so the demo can call ConfirmSignUp).</summary>
    public string ConfirmationCode { get; private set; } = string.Empty;

    /// <summary>A config file for <c>idrep --config</c> that points at this sandbox.</summary>
    public string ConfigFile => Path.Combine(DataDirectory, "idrep.json");

    /// <summary>A failover plan for <c>idrep failover … --plan</c> that fits this sandbox.</summary>
    public string PlanFile => Path.Combine(DataDirectory, "failover-plan.yaml");

    /// <summary>The local Route 53, RDS, SSM and application health endpoints that failover drills use.</summary>
    public FailoverSandbox Failover { get; private set; } = null!;

    /// <summary>Process ids of the emulators (tests check none survives).</summary>
    public IReadOnlyList<int> ProcessIds { get; private set; } = [];

    public static AWSCredentials Credentials { get; } = new BasicAWSCredentials(AccessKey, AccessKey);

    public IAmazonDynamoDB Dynamo => _dynamo;

    public static async Task<SandboxEnvironment> StartAsync(SandboxOptions options, ILoggerFactory loggers, TimeProvider time, CancellationToken cancellationToken)
    {
        var logger = loggers.CreateLogger<SandboxEnvironment>();
        var install = await EmulatorPackages.EnsureInstalledAsync(logger, time, cancellationToken);
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
    public string DescribeAsJson()
    {
        var description = new JsonObject
        {
            ["primary"] = Describe(Primary),
            ["standby"] = Describe(Standby),
            ["mirror"] = new JsonObject { ["endpoint"] = MirrorEndpoint.ToString(), ["tableName"] = TableName, ["feedBuckets"] = FeedBuckets },
            ["lambdaEndpoint"] = LambdaEndpoint.ToString(),
            ["eventBridgeEndpoint"] = EventBus.Url.ToString(),
            ["confirmationCode"] = ConfirmationCode,
            ["configFile"] = ConfigFile,
            ["route53Endpoint"] = Failover.Route53.Url.ToString(),
            ["rdsEndpoint"] = Failover.Rds.Url.ToString(),
            ["ssmEndpoint"] = Failover.Ssm.Url.ToString(),
            ["planFile"] = PlanFile,
        };
        if (S3Endpoint is not null)
        {
            description["s3"] = new JsonObject { ["endpoint"] = S3Endpoint.ToString(), ["bucket"] = ReportBucket };
        }

        return description.ToJsonString();
    }

    public async ValueTask DisposeAsync()
    {
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

    private static JsonObject Describe(SandboxPool pool) => new()
    {
        ["region"] = pool.Region,
        ["userPoolId"] = pool.UserPoolId,
        ["endpoint"] = pool.Endpoint.ToString(),
        ["appClientId"] = pool.AppClientId,
    };

    private async Task BuildAsync(string install, SandboxOptions options, ILoggerFactory loggers, TimeProvider time, CancellationToken cancellationToken)
    {
        var mirrorOptions = new MirrorOptions { TableName = options.TableName, FeedBuckets = options.FeedBuckets };
        await MirrorTable.CreateAsync(_dynamo, options.TableName, options.FeedBuckets, time, cancellationToken);

        // The Invoke endpoint starts first (the emulators need its address); the function is set once the pools exist.
        ReplicatorFunction? function = null;
        var lambda = await LambdaInvokeEndpoint.StartAsync(
            new Dictionary<string, Func<ReadOnlyMemory<byte>, CancellationToken, Task<ReadOnlyMemory<byte>>>>
            {
                [CognitoLocal.TriggerFunction] = (input, ct) => function is null ? Task.FromResult(input) : function.InvokeAsync(input, ct),
            },
            cancellationToken);
        _owned.Add(lambda);
        LambdaEndpoint = lambda.Url;
        EventBus = await LocalEventBus.StartAsync(time, options.PrimaryRegion, cancellationToken);
        _owned.Add(EventBus);

        var primaryData = Path.Combine(DataDirectory, "primary");
        var standbyData = Path.Combine(DataDirectory, "standby");
        List<Task<NodeProcess>> starts =
        [
            CognitoLocal.StartAsync(install, primaryData, lambda.Url, options.PrimaryRegion, ConfirmationCode, time, cancellationToken),
            CognitoLocal.StartAsync(install, standbyData, lambda.Url, options.StandbyRegion, ConfirmationCode, time, cancellationToken),
        ];
        if (options.S3)
        {
            starts.Add(S3Local.StartAsync(install, DataDirectory, AccessKey, [ReportBucket], time, cancellationToken));
        }

        try
        {
            await Task.WhenAll(starts);
        }
        finally
        {
            // Whatever started is owned (and so stopped on dispose) even when another emulator failed to start.
            _owned.AddRange(starts.Where(t => t.IsCompletedSuccessfully).Select(t => t.Result));
        }

        NodeProcess[] emulators = [starts[0].Result, starts[1].Result];
        S3Endpoint = options.S3 ? starts[2].Result.Url : null;
        ProcessIds = [.. _owned.OfType<NodeProcess>().Select(p => p.ProcessId)];

        var lambdaHttp = new HttpClient { BaseAddress = lambda.Url, Timeout = TimeSpan.FromSeconds(10) };
        _owned.Add(new DisposableAdapter(lambdaHttp));
        var primary = await StartPoolAsync(emulators[0], options.PrimaryRegion, "primary", options, lambdaHttp, time, cancellationToken);
        var standby = await StartPoolAsync(emulators[1], options.StandbyRegion, "standby", options, lambdaHttp, time, cancellationToken);
        Primary = primary;
        Standby = standby;

        // Both emulators send their triggers here, and both pools' calls are recorded as CloudTrail events; the function
        // captures whichever pool the replication control names as the source (the primary until a failover reverses
        // it) and drops the other's events (the reconciler's own calls) before reading Cognito. It reads each pool
        // within a budget of that Region's quotas, as it does on AWS.
        IUserDirectory Directory(SandboxPool pool) =>
            new CognitoUserDirectory(Client(pool, new QuotaGovernor(new QuotaOptions { Share = QuotaOptions.PrimaryShare }, time, "replicator")), pool.UserPoolId);
        var replicator = ReplicatorFunction.Create(
            _dynamo,
            Directory(primary),
            mirrorOptions,
            new CaptureOptions { PrimaryPoolId = primary.UserPoolId, TriggerBudget = options.TriggerBudget },
            loggers,
            time,
            new ReplicationDirection(
                new DynamoDbReplicationControlStore(_dynamo, mirrorOptions),
                new ReplicationControl { Epoch = 0, SourceRegion = primary.Region, SourcePoolId = primary.UserPoolId, TargetRegion = standby.Region, TargetPoolId = standby.UserPoolId },
                time),
            Directory(standby));
        function = replicator;

        // EventBridge rules of the deployment: Cognito's CloudTrail events and applications' hints go to the Replicator.
        EventBus.Subscribe(new EventSubscription(
            "cognito-cloudtrail-to-replicator",
            e => e["source"]?.GetValue<string>() == CloudTrailEvent.Source && e["detail-type"]?.GetValue<string>() == CloudTrailEvent.DetailType,
            (e, ct) => replicator.HandleAsync(e, ct),
            options.CloudTrailDelay));
        EventBus.Subscribe(new EventSubscription(
            "user-changed-hints-to-replicator",
            e => e["detail-type"]?.GetValue<string>() == UserChangedEvent.DetailType,
            (e, ct) => replicator.HandleAsync(e, ct),
            TimeSpan.Zero));

        await File.WriteAllTextAsync(ConfigFile, WriteConfig().ToJsonString(new JsonSerializerOptions { WriteIndented = true }), cancellationToken);

        Failover = await FailoverSandbox.StartAsync(primary, standby, options, time, cancellationToken);
        _owned.Add(Failover);
        await File.WriteAllTextAsync(PlanFile, Failover.Plan(primary, standby, MirrorEndpoint, TableName, FeedBuckets, AccessKey), cancellationToken);
    }

    private async Task<SandboxPool> StartPoolAsync(NodeProcess emulator, string region, string name, SandboxOptions options, HttpClient lambdaHttp, TimeProvider time, CancellationToken cancellationToken)
    {
        var direct = CognitoIdentityProviderClient.Create(new AwsEndpoint(region, emulator.Url), Credentials);
        var disabled = new DisabledUsersCannotSignIn(direct);
        // Faults and quotas first; CloudTrail sees every call that reached "Cognito"; then the emulator fixes.
        var interceptors = ProxyInterceptors(region, emulator.Url, options, time);
        if (options.RecordCloudTrail)
        {
            interceptors.Insert(2, new CloudTrailRecorder(EventBus, direct, region, time));
        }

        interceptors.AddRange([disabled, new VerifiedFlagAlone(direct), new PreSignUpOnAdminCreateUser(lambdaHttp, CognitoLocal.TriggerFunction, region)]);
        var front = await CognitoFront.StartAsync(emulator.Url, interceptors, cancellationToken);
        _owned.Add(front);

        var client = CognitoIdentityProviderClient.Create(new AwsEndpoint(region, front.Url), Credentials);
        var attributes = options.CustomAttributes.Concat(name == "primary" ? options.PrimaryOnlyAttributes : []);
        var pool = await client.CreateUserPoolAsync(
            new CreateUserPoolRequest($"idrep-sandbox-{name}")
            {
                UsernameAttributes = options.SignInByEmail ? ["email"] : null,
                AutoVerifiedAttributes = options.SignInByEmail ? ["email"] : null,
                UsernameConfiguration = new UsernameConfigurationType(false),
                Schema = [.. attributes.Select(a => new SchemaAttributeType
                {
                    Name = a,
                    AttributeDataType = "String",
                    Mutable = true,
                    StringAttributeConstraints = new StringAttributeConstraintsType("0", "256"),
                })],
            },
            cancellationToken);
        var poolId = pool.UserPool?.Id ?? throw new InvalidOperationException("cognito-local returned no pool id.");
        var appClient = await client.CreateUserPoolClientAsync(
            new CreateUserPoolClientRequest(poolId, $"idrep-sandbox-{name}-app")
            {
                GenerateSecret = false,
                ExplicitAuthFlows = ["ALLOW_USER_PASSWORD_AUTH", "ALLOW_ADMIN_USER_PASSWORD_AUTH", "ALLOW_REFRESH_TOKEN_AUTH"],
            },
            cancellationToken);
        var clientId = appClient.UserPoolClient?.ClientId ?? throw new InvalidOperationException("cognito-local returned no app client id.");
        disabled.RegisterClient(clientId, poolId);
        return new SandboxPool(region, poolId, front.Url, clientId);
    }

    private JsonObject WriteConfig()
    {
        var config = Settings();
        if (S3Endpoint is not null)
        {
            config["Drift"] = new JsonObject { ["OutputBucket"] = ReportBucket, ["S3ServiceUrl"] = S3Endpoint.ToString() };
        }

        return config;
    }

    private JsonObject Settings() => new()
    {
        ["Aws"] = new JsonObject { ["AccessKeyId"] = AccessKey, ["SecretAccessKey"] = AccessKey },
        ["Replication"] = new JsonObject
        {
            ["Primary"] = new JsonObject { ["Region"] = Primary.Region, ["UserPoolId"] = Primary.UserPoolId, ["ServiceUrl"] = Primary.Endpoint.ToString() },
            ["Standby"] = new JsonObject { ["Region"] = Standby.Region, ["UserPoolId"] = Standby.UserPoolId, ["ServiceUrl"] = Standby.Endpoint.ToString() },
        },
        ["Mirror"] = new JsonObject
        {
            ["TableName"] = TableName,
            ["FeedBuckets"] = FeedBuckets,
            ["Endpoints"] = new JsonObject { [Primary.Region] = MirrorEndpoint.ToString(), [Standby.Region] = MirrorEndpoint.ToString() },
        },
        ["EventBridge"] = new JsonObject
        {
            ["Endpoints"] = new JsonObject { [Primary.Region] = EventBus.Url.ToString(), [Standby.Region] = EventBus.Url.ToString() },
        },
        ["Sandbox"] = new JsonObject
        {
            ["PrimaryAppClientId"] = Primary.AppClientId,
            ["StandbyAppClientId"] = Standby.AppClientId,
            ["ConfirmationCode"] = ConfirmationCode,
        },
    };

    private sealed class DisposableAdapter(IDisposable inner) : IAsyncDisposable
    {
        public ValueTask DisposeAsync()
        {
            inner.Dispose();
            return ValueTask.CompletedTask;
        }
    }
}
