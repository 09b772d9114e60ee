using System.Security.Cryptography;
using System.Text.Json;
using System.Text.Json.Nodes;
using Amazon.DynamoDBv2;
using IdentityReplicator.Core.Mirror;
using IdentityReplicator.Core.Quotas;
using IdentityReplicator.Sandbox.Cognito;
using IdentityReplicator.Sandbox.Emulators;
using IdentityReplicator.Sandbox.Proxy;
using Microsoft.Extensions.Logging;

namespace IdentityReplicator.Sandbox.VirtualPool;

/// <summary>
/// Two virtual pools (primary and standby, <see cref="VirtualUsers"/>) behind the sandbox's fault injector and quota
/// proxy, and dynalite for the mirror table: what <c>idrep bench drift|sweep --virtual</c> measures against. Writes a
/// config file (<see cref="ConfigFile"/>) whose client budgets are the default shares of Cognito's quotas times
/// <c>quotaScale</c>, the same scale the proxies enforce.
/// </summary>
public sealed class VirtualSandbox : IAsyncDisposable
{
    private readonly List<IAsyncDisposable> _owned = [];
    private readonly Dictionary<VirtualSide, (CognitoFront Front, QuotaProxy Quotas, FaultInjector Faults, CallTimeline Timeline)> _fronts = [];
    private AmazonDynamoDBClient? _dynamo;

    private VirtualSandbox(string dataDirectory, VirtualPoolOptions pool, double quotaScale)
    {
        DataDirectory = dataDirectory;
        Pool = pool;
        QuotaScale = quotaScale;
    }

    public string DataDirectory { get; }

    public VirtualPoolOptions Pool { get; }

    public double QuotaScale { get; }

    public SandboxPool Primary { get; private set; } = null!;

    public SandboxPool Standby { get; private set; } = null!;

    public string ConfigFile => Path.Combine(DataDirectory, "idrep.json");

    public IAmazonDynamoDB Dynamo => _dynamo!;

    public QuotaProxy QuotaProxyOf(VirtualSide side) => _fronts[side].Quotas;

    public FaultInjector FaultsOf(VirtualSide side) => _fronts[side].Faults;

    /// <summary>The calls the quota proxy of <paramref name="side"/> let through, and when.</summary>
    public CallTimeline TimelineOf(VirtualSide side) => _fronts[side].Timeline;

    public static async Task<VirtualSandbox> StartAsync(
        VirtualPoolOptions pool, double quotaScale, SandboxOptions options, ILoggerFactory loggers, TimeProvider time, CancellationToken cancellationToken)
    {
        if (pool.Validate().FirstOrDefault() is { } problem)
        {
            throw new ArgumentException(problem, nameof(pool));
        }

        var install = await EmulatorPackages.EnsureInstalledAsync(loggers.CreateLogger<VirtualSandbox>(), time, cancellationToken);
        var directory = Path.Combine(Path.GetTempPath(), "idrep-virtual-" + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(6)));
        Directory.CreateDirectory(directory);
        var sandbox = new VirtualSandbox(directory, pool, quotaScale);
        try
        {
            var dynalite = await Dynalite.StartAsync(install, directory, time, cancellationToken);
            sandbox._owned.Add(dynalite);
            sandbox._dynamo = new AmazonDynamoDBClient(SandboxEnvironment.Credentials, new AmazonDynamoDBConfig { ServiceURL = dynalite.Url.ToString(), AuthenticationRegion = options.PrimaryRegion });
            await MirrorTable.CreateAsync(sandbox._dynamo, options.TableName, options.FeedBuckets, time, cancellationToken);
            var quotas = new QuotaProxyOptions { Scale = quotaScale };
            sandbox.Primary = await sandbox.StartPoolAsync(VirtualSide.Primary, options.PrimaryRegion, "VPrimary1", quotas, time, cancellationToken);
            sandbox.Standby = await sandbox.StartPoolAsync(VirtualSide.Standby, options.StandbyRegion, "VStandby1", quotas, time, cancellationToken);
            await File.WriteAllTextAsync(sandbox.ConfigFile, sandbox.Config(dynalite.Url, options).ToJsonString(new JsonSerializerOptions { WriteIndented = true }), cancellationToken);
            return sandbox;
        }
        catch
        {
            await sandbox.DisposeAsync();
            throw;
        }
    }

    /// <summary>A front serving one side: faults, then quotas, then the virtual pool (which answers every call).</summary>
    private async Task<SandboxPool> StartPoolAsync(VirtualSide side, string region, string suffix, QuotaProxyOptions quotas, TimeProvider time, CancellationToken cancellationToken)
    {
        var faults = new FaultInjector(time);
        var proxy = new QuotaProxy(time);
        proxy.Configure(quotas);
        var poolId = region + "_" + suffix;
        var service = new VirtualPoolService(new VirtualUsers(Pool, side), poolId, region);
        var timeline = new CallTimeline(time);

        // No emulator behind it: the virtual pool answers every call that gets past faults and quotas.
        var front = await CognitoFront.StartAsync(new Uri("http://127.0.0.1:9/"), [faults, proxy, timeline, service], cancellationToken);
        _owned.Add(front);
        _fronts[side] = (front, proxy, faults, timeline);
        return new SandboxPool(region, poolId, front.Url, "virtual");
    }

    private JsonObject Config(Uri mirror, SandboxOptions options)
    {
        var perRegion = new JsonObject { [options.PrimaryRegion] = mirror.ToString(), [options.StandbyRegion] = mirror.ToString() };
        return new JsonObject
        {
            ["Aws"] = new JsonObject { ["AccessKeyId"] = SandboxEnvironment.AccessKey, ["SecretAccessKey"] = SandboxEnvironment.AccessKey },
            ["Replication"] = new JsonObject
            {
                ["Primary"] = new JsonObject { ["Region"] = Primary.Region, ["UserPoolId"] = Primary.UserPoolId, ["ServiceUrl"] = Primary.Endpoint.ToString() },
                ["Standby"] = new JsonObject { ["Region"] = Standby.Region, ["UserPoolId"] = Standby.UserPoolId, ["ServiceUrl"] = Standby.Endpoint.ToString() },
            },
            ["Mirror"] = new JsonObject { ["TableName"] = options.TableName, ["FeedBuckets"] = options.FeedBuckets, ["Endpoints"] = perRegion },

            // The virtual pools serve users and groups only: no pool configuration to compare.
            ["Drift"] = new JsonObject { ["CompareConfiguration"] = false },
            ["Quotas"] = new JsonObject
            {
                ["Primary"] = Budgets(QuotaOptions.PrimaryShare),
                ["Standby"] = Budgets(QuotaOptions.StandbyShare),
            },
        };
    }

    /// <summary>The client's budgets: the default share of each quota, scaled as the proxy scales the quotas.</summary>
    private JsonObject Budgets(double share) => new()
    {
        ["Rates"] = new JsonObject(Enum.GetValues<QuotaCategory>().Select(c =>
            KeyValuePair.Create(c.ToString(), (JsonNode?)Math.Min(10_000, CognitoQuotas.DefaultRate(c) * share * QuotaScale)))),
    };

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
        _dynamo?.Dispose();
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
