using System.Collections.Concurrent;
using System.Collections.Immutable;
using IdentityReplicator.Core.ClientConfig;
using IdentityReplicator.Core.Configuration;
using IdentityReplicator.Core.Control;
using IdentityReplicator.Core.Rds;
using IdentityReplicator.Core.Route53;
using IdentityReplicator.Failover.Journal;
using IdentityReplicator.Failover.Plans;
using IdentityReplicator.Failover.Preflight;

namespace IdentityReplicator.Failover.Tests.Execution;

/// <summary>The control item in memory, with the same compare-and-set rule as the table. Counts effective writes.</summary>
internal sealed class InMemoryControlStore : IReplicationControlStore
{
    private readonly Lock _gate = new();
    private ReplicationControl? _control;

    public int Writes { get; private set; }

    public ReplicationControl? Current
    {
        get
        {
            lock (_gate)
            {
                return _control;
            }
        }
    }

    public Task<ReplicationControl?> GetAsync(CancellationToken cancellationToken) => Task.FromResult(Current);

    public Task<bool> TryAdvanceAsync(ReplicationControl next, long expectedEpoch, CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            if ((_control?.Epoch ?? 0) != expectedEpoch || next.Epoch <= expectedEpoch)
            {
                return Task.FromResult(false);
            }

            _control = next;
            Writes++;
            return Task.FromResult(true);
        }
    }
}

internal sealed class InMemoryJournal : IExecutionJournal
{
    private readonly ConcurrentDictionary<string, RunRecord> _runs = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<(string, string), StepRecord> _steps = new();

    public Task CreateRunAsync(RunRecord run, CancellationToken cancellationToken) =>
        _runs.TryAdd(run.RunId, run) ? Task.CompletedTask : throw new JournalException("exists");

    public Task UpdateRunAsync(RunRecord run, CancellationToken cancellationToken)
    {
        _runs[run.RunId] = run;
        return Task.CompletedTask;
    }

    public Task<RunRecord?> GetRunAsync(string runId, CancellationToken cancellationToken) => Task.FromResult(_runs.GetValueOrDefault(runId));

    public Task<IReadOnlyList<RunRecord>> ListRunsAsync(int limit, CancellationToken cancellationToken) =>
        Task.FromResult<IReadOnlyList<RunRecord>>([.. _runs.Values.OrderByDescending(r => r.StartedAt).Take(limit)]);

    public Task<IReadOnlyList<StepRecord>> GetStepsAsync(string runId, CancellationToken cancellationToken) =>
        Task.FromResult<IReadOnlyList<StepRecord>>([.. _steps.Where(s => s.Key.Item1 == runId).Select(s => s.Value)]);

    public Task PutStepAsync(string runId, StepRecord step, CancellationToken cancellationToken)
    {
        _steps.AddOrUpdate((runId, step.Name), step, (_, old) => old.State == StepState.Succeeded ? old : step);
        return Task.CompletedTask;
    }
}

/// <summary>Route 53 in memory: changes are INSYNC at once; counts batches that changed something.</summary>
internal sealed class InMemoryDns : IDnsSwitch
{
    private readonly ConcurrentDictionary<(string, string, string?), ResourceRecordSet> _records = new();

    public int EffectiveChanges { get; private set; }

    public int HealthChecks { get; set; } = 1;

    public void Put(ResourceRecordSet set) => _records[(Route53Client.NormalizeName(set.Name), set.Type, set.SetIdentifier)] = set;

    public ResourceRecordSet? Get(string name, string type, string? setIdentifier = null) =>
        _records.GetValueOrDefault((Route53Client.NormalizeName(name), type, setIdentifier));

    public Task<HostedZone?> GetZoneAsync(string hostedZoneId, CancellationToken cancellationToken) =>
        Task.FromResult<HostedZone?>(new HostedZone(hostedZoneId, "example.com.", _records.Count));

    public Task<IReadOnlyList<ResourceRecordSet>> GetRecordSetsAsync(string hostedZoneId, string name, string type, CancellationToken cancellationToken) =>
        Task.FromResult<IReadOnlyList<ResourceRecordSet>>([.. _records.Values.Where(r => Route53Client.NormalizeName(r.Name) == Route53Client.NormalizeName(name) && r.Type == type)]);

    public Task<string> UpsertAsync(string hostedZoneId, IReadOnlyList<ResourceRecordSet> recordSets, string comment, CancellationToken cancellationToken)
    {
        var changed = false;
        foreach (var set in recordSets)
        {
            var key = (Route53Client.NormalizeName(set.Name), set.Type, set.SetIdentifier);
            changed |= !_records.TryGetValue(key, out var old) || !old.ResourceRecords.SequenceEqual(set.ResourceRecords) || old.Weight != set.Weight;
            _records[key] = set;
        }

        if (changed)
        {
            EffectiveChanges++;
        }

        return Task.FromResult("C" + Guid.NewGuid().ToString("N")[..10]);
    }

    public Task<bool> IsInSyncAsync(string changeId, CancellationToken cancellationToken) => Task.FromResult(true);

    public Task<IReadOnlyList<HealthCheckObservation>> GetHealthCheckStatusAsync(string healthCheckId, CancellationToken cancellationToken) =>
        Task.FromResult<IReadOnlyList<HealthCheckObservation>>([new HealthCheckObservation("us-east-1", "192.0.2.1", "Success: HTTP Status Code 200, OK", null)]);
}

/// <summary>A global database in memory: promotion is requested, then completes on the next describe.</summary>
internal sealed class InMemoryDatabase : IDatabasePromoter
{
    private bool _standbyWriter;
    private bool? _pending;

    public int Promotions { get; private set; }

    public bool StandbyIsWriter => _standbyWriter;

    /// <summary>The lag the reader side reports (CloudWatch's replica lag), if any.</summary>
    public TimeSpan? Lag { get; set; }

    public Task<DatabaseState> DescribeAsync(bool standby, CancellationToken cancellationToken)
    {
        if (_pending is { } target)
        {
            // Report "in progress" once, then settle.
            _pending = null;
            _standbyWriter = target;
            return Task.FromResult(new DatabaseState(true, false, false, "switching-over", true, "switching over"));
        }

        var writer = standby == _standbyWriter;
        return Task.FromResult(new DatabaseState(true, writer, writer, "available", true, writer ? "writer" : "reader", writer ? null : Lag));
    }

    public Task PromoteAsync(bool standby, bool allowDataLoss, CancellationToken cancellationToken)
    {
        if (standby == _standbyWriter || _pending is not null)
        {
            throw new InvalidOperationException("promotion requested twice");
        }

        Promotions++;
        _pending = standby;
        return Task.CompletedTask;
    }
}

internal sealed class InMemoryParameters(string region) : IClientConfigStore
{
    private readonly ConcurrentDictionary<string, string> _values = new(StringComparer.Ordinal);

    public string Region { get; } = region;

    public int EffectiveWrites { get; private set; }

    public string? this[string name]
    {
        get => _values.GetValueOrDefault(name);
        set => _values[name] = value!;
    }

    public Task<IReadOnlyDictionary<string, ParameterValue>> GetAsync(IReadOnlyCollection<string> names, CancellationToken cancellationToken) =>
        Task.FromResult<IReadOnlyDictionary<string, ParameterValue>>(names.Where(_values.ContainsKey).ToDictionary(n => n, n => new ParameterValue(n, _values[n], "String", 1), StringComparer.Ordinal));

    public Task<long> PutAsync(string name, string value, string type, CancellationToken cancellationToken)
    {
        if (_values.GetValueOrDefault(name) != value)
        {
            EffectiveWrites++;
        }

        _values[name] = value;
        return Task.FromResult(1L);
    }
}

internal sealed class NoLag : IReplicationLag
{
    public Task<LagReport> MeasureAsync(ReplicationControl control, CancellationToken cancellationToken) =>
        Task.FromResult(new LagReport(3, 0, null, null, false));
}

internal sealed class AlwaysHealthy : IHttpProbe, ISignInProbe
{
    public Task<(bool Healthy, string Detail)> GetAsync(Uri url, CancellationToken cancellationToken) => Task.FromResult((true, "HTTP 200"));

    public Task<(bool Succeeded, string Detail)> SignInAsync(PoolRole role, CancellationToken cancellationToken) => Task.FromResult((true, $"signed in to the {role.Name()}"));
}

/// <summary>A plan and a set of in-memory ports that fit it.</summary>
internal sealed class FakeEnvironment
{
    public const string PlanText = """
        version: 1
        environment: test
        drill: true
        pools:
          primary: { region: us-east-1, userPoolId: us-east-1_Primary1, appClientId: client-east }
          standby: { region: us-west-2, userPoolId: us-west-2_Standby1, appClientId: client-west }
        mirror: { tableName: mirror-test }
        clientConfig:
          parameters:
            - name: /app/user-pool-id
              values: { primary: us-east-1_Primary1, standby: us-west-2_Standby1 }
            - name: /app/region
              values: { primary: us-east-1, standby: us-west-2 }
        dns:
          hostedZoneId: Z123
          records:
            - name: auth.example.com.
              type: CNAME
              ttl: 60
              values: { primary: east.example.com, standby: west.example.com }
        database:
          kind: globalCluster
          globalClusterId: app-global
          clusters: { primary: app-east, standby: app-west }
        healthProbes:
          - name: app
            urls: { primary: "https://east.example.com/health", standby: "https://west.example.com/health" }
        capacity:
          tiers:
            - name: web
              kind: beanstalk
              application: shop
              resources: { primary: shop-east, standby: shop-west }
              active: 4
              warm: 1
              lowerAfterVerify: true
        signIn: { username: monitor@example.com }
        preflight: { driftSample: 0 }
        timeouts: { pollInterval: 1ms, drain: 5s, promotion: 5s, dnsSync: 5s, verify: 5s, capacity: 5s }
        """;

    public FakeEnvironment(string planText = PlanText)
    {
        Plan = PlanReader.Parse(planText, "/plans/test.yaml");
        foreach (var region in new[] { "us-east-1", "us-west-2" })
        {
            var store = new InMemoryParameters(region);
            foreach (var parameter in Plan.Parameters)
            {
                store[parameter.Name] = parameter.Values.Primary;
            }

            Parameters[region] = store;
        }

        Dns.Put(new ResourceRecordSet { Name = "auth.example.com.", Type = "CNAME", TTL = 60, ResourceRecords = ["east.example.com"] });
    }

    public FailoverPlan Plan { get; }

    public InMemoryControlStore Control { get; } = new();

    public InMemoryJournal Journal { get; } = new();

    public InMemoryDns Dns { get; } = new();

    public InMemoryDatabase Database { get; } = new();

    public Dictionary<string, InMemoryParameters> Parameters { get; } = new(StringComparer.Ordinal);

    public IdentityReplicator.TestSupport.InMemoryUserDirectory Primary { get; } = new("us-east-1_Primary1");

    public IdentityReplicator.TestSupport.InMemoryUserDirectory Standby { get; } = new("us-west-2_Standby1");

    /// <summary>Ports over this world; <paramref name="lag"/> and <paramref name="signIn"/> replace the always-fine fakes.</summary>
    public Failover.Execution.FailoverPorts Ports(
        IReplicationLag? lag = null,
        ISignInProbe? signIn = null,
        PerPool<Core.PoolConfiguration.IPoolConfigurationDirectory>? configuration = null,
        Failover.Journeys.IJourneyPools? journeys = null,
        Failover.Journeys.ITokenEndpoint? tokens = null) => new()
    {
        Journeys = journeys,
        Tokens = tokens,
        Configuration = configuration,
        Control = Control,
        Journal = Journal,
        Dns = Dns,
        Database = Database,
        ClientConfig = region => Parameters[region],
        Pools = new PerPool<Core.Pools.IUserDirectory>(Primary, Standby),
        Lag = lag ?? new NoLag(),
        SignIn = signIn ?? new AlwaysHealthy(),
        Http = new AlwaysHealthy(),
        Capacity = Capacity,
    };

    /// <summary>The application tiers: the primary Region's serving at 4, the standby's warm at 1.</summary>
    public InMemoryCapacity Capacity { get; } = new(("us-east-1", "shop-east", 4), ("us-west-2", "shop-west", 1));

    /// <summary>Side effects so far: control writes, promotions, DNS batches and parameter writes that changed something.</summary>
    public (int Control, int Promotions, int Dns, int Parameters) SideEffects =>
        (Control.Writes, Database.Promotions, Dns.EffectiveChanges, Parameters.Values.Sum(p => p.EffectiveWrites));

    public ImmutableArray<string> ParameterValues(string region) => [.. Plan.Parameters.Select(p => Parameters[region][p.Name] ?? "-")];
}

/// <summary>
/// Application tiers in memory: a scale call sets the size at once, and the new capacity is healthy after
/// <c>rampPolls</c> more describes (as a real tier takes a while). Counts every scale call (a repeated one too).
/// </summary>
internal sealed class InMemoryCapacity(params (string Region, string Resource, int Size)[] tiers) : Failover.Execution.IApplicationCapacity
{
    private readonly Dictionary<(string, string), (int Size, int Healthy, int PollsLeft)> _tiers = tiers.ToDictionary(t => (t.Region, t.Resource), t => (t.Size, t.Size, 0));
    private readonly Lock _gate = new();

    public int Max { get; set; } = 8;

    public int RampPolls { get; set; } = 2;

    public int ScaleCalls { get; private set; }

    public int SizeOf(string region, string resource)
    {
        lock (_gate)
        {
            return _tiers[(region, resource)].Size;
        }
    }

    public Task<Failover.Execution.TierStatus?> DescribeAsync(CapacityPlan tier, string region, string resource, string? cluster, CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            if (!_tiers.TryGetValue((region, resource), out var t))
            {
                return Task.FromResult<Failover.Execution.TierStatus?>(null);
            }

            if (t.PollsLeft > 0 && --t.PollsLeft == 0)
            {
                t.Healthy = t.Size;
            }

            _tiers[(region, resource)] = t;
            return Task.FromResult<Failover.Execution.TierStatus?>(new(t.Size, Max, t.Healthy, t.PollsLeft == 0));
        }
    }

    public Task ScaleAsync(CapacityPlan tier, string region, string resource, string? cluster, int size, CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            var t = _tiers[(region, resource)];
            ScaleCalls++;

            _tiers[(region, resource)] = size > t.Size ? (size, t.Healthy, RampPolls) : (size, size, 0);
        }

        return Task.CompletedTask;
    }
}
