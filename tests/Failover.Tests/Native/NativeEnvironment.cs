using IdentityReplicator.Failover.Plans;

namespace IdentityReplicator.Failover.Tests.Native;

/// <summary>A pool's Regional replicas in memory: statuses by Region, every call counted.</summary>
internal sealed class InMemoryNativeReplicas : Failover.Native.INativeReplicas
{
    private readonly Dictionary<string, Core.Cognito.UserPoolReplicaType> _replicas = new(StringComparer.Ordinal)
    {
        ["us-east-1"] = new("us-east-1", Core.Cognito.ReplicaStatus.Active, Core.Cognito.ReplicaRole.Primary),
        ["us-west-2"] = new("us-west-2", Core.Cognito.ReplicaStatus.Active, Core.Cognito.ReplicaRole.Secondary),
    };

    public int Activations { get; private set; }

    public List<Core.Configuration.PoolRole> ListedAt { get; } = [];

    public void Set(string region, string? status) =>
        _ = status is null ? _replicas.Remove(region) : (_replicas[region] = _replicas.GetValueOrDefault(region, new(region, status, Core.Cognito.ReplicaRole.Secondary)) with { Status = status }) is not null;

    public Task<IReadOnlyList<Core.Cognito.UserPoolReplicaType>> ListAsync(Core.Configuration.PoolRole at, CancellationToken cancellationToken)
    {
        ListedAt.Add(at);
        return Task.FromResult<IReadOnlyList<Core.Cognito.UserPoolReplicaType>>([.. _replicas.Values]);
    }

    public Task<Core.Cognito.UserPoolReplicaType> SetStatusAsync(Core.Configuration.PoolRole at, string regionName, string status, CancellationToken cancellationToken)
    {
        Activations++;
        Set(regionName, status);
        return Task.FromResult(_replicas[regionName]);
    }
}

/// <summary>
/// A native-mode world: the plan above, its replicas, and the pool's two Regional endpoints — the same directory (a
/// replica that copies at once) or two (one the copy never reaches).
/// </summary>
internal sealed class NativeEnvironment
{
    public NativeEnvironment(bool replicaCopies = true, string planText = NativeFakes.PlanText)
    {
        World = new Execution.FakeEnvironment(planText);
        Primary = new TestSupport.InMemoryUserDirectory(NativeFakes.PoolId, customAttributes: ["custom:idrep_canary"]);
        Replica = replicaCopies ? Primary : new TestSupport.InMemoryUserDirectory(NativeFakes.PoolId, customAttributes: ["custom:idrep_canary"]);
        foreach (var pool in new[] { Primary, Replica }.Distinct())
        {
            pool.Seed("idrep-canary", new Dictionary<string, string>(StringComparer.Ordinal) { ["custom:idrep_canary"] = "0" }, enabled: false);
        }
    }

    public Execution.FakeEnvironment World { get; }

    public FailoverPlan Plan => World.Plan;

    public TestSupport.InMemoryUserDirectory Primary { get; }

    public TestSupport.InMemoryUserDirectory Replica { get; }

    public InMemoryNativeReplicas Replicas { get; } = new();

    public Failover.Execution.FailoverPorts Ports(Failover.Preflight.IReplicationLag? lag = null) => new()
    {
        Control = World.Control,
        Journal = World.Journal,
        Dns = World.Dns,
        ClientConfig = region => World.Parameters[region],
        Pools = new Core.Configuration.PerPool<Core.Pools.IUserDirectory>(Primary, Replica),
        Lag = lag ?? new Execution.NoLag(),
        SignIn = new Execution.AlwaysHealthy(),
        Http = new Execution.AlwaysHealthy(),
        NativeReplicas = Replicas,
    };
}
