using System.Collections.Concurrent;
using System.Text;
using System.Xml.Linq;
using IdentityReplicator.Core.Rds;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;

namespace IdentityReplicator.Sandbox.Failover;

/// <summary>
/// Amazon RDS on 127.0.0.1 over the real Query protocol (API 2014-10-31, XML replies), Region taken from each
/// request's signature: Aurora clusters with a writer, an Aurora global database, and read replicas. Promotions take
/// <c>promotion</c> (statuses switching-over / failing-over / promoting meanwhile) and then flip the writer. Actions:
/// DescribeDBClusters, DescribeDBInstances, DescribeGlobalClusters, SwitchoverGlobalCluster, FailoverGlobalCluster,
/// PromoteReadReplicaDBCluster, PromoteReadReplica.
/// </summary>
public sealed class LocalRds : LocalAwsEndpoint
{
    private static readonly XNamespace Ns = "http://rds.amazonaws.com/doc/2014-10-31/";
    private readonly ConcurrentDictionary<string, Cluster> _clusters = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, Instance> _instances = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, Global> _globals = new(StringComparer.Ordinal);
    private readonly Lock _gate = new();
    private readonly TimeProvider _time;
    private readonly TimeSpan _promotion;

    private LocalRds(TimeProvider time, TimeSpan promotion)
    {
        _time = time;
        _promotion = promotion;
    }

    /// <summary>Promotions requested (switchover, failover, replica promotions), for tests that count side effects.</summary>
    public int Promotions { get; private set; }

    public static async Task<LocalRds> StartAsync(TimeProvider time, TimeSpan promotion, CancellationToken cancellationToken)
    {
        var rds = new LocalRds(time, promotion);
        await rds.ListenAsync(app => app.MapPost("/", rds.HandleAsync), cancellationToken);
        return rds;
    }

    /// <summary>Adds an Aurora cluster with one instance (its writer unless it replicates from <paramref name="replicationSource"/>).</summary>
    public string AddCluster(string region, string id, string? replicationSource = null)
    {
        var arn = $"arn:aws:rds:{region}:{LocalAws.Account}:cluster:{id}";
        _clusters[Key(region, id)] = new Cluster { Id = id, Region = region, Arn = arn, ReplicationSource = replicationSource };
        _instances[Key(region, id + "-1")] = new Instance { Id = id + "-1", Region = region, ClusterId = id };
        return arn;
    }

    /// <summary>Adds an RDS instance (a read replica of <paramref name="replicaOf"/> if given).</summary>
    public void AddInstance(string region, string id, string? replicaOf = null) =>
        _instances[Key(region, id)] = new Instance { Id = id, Region = region, ReplicaOf = replicaOf };

    /// <summary>Adds a global database whose writer is the first cluster.</summary>
    public void AddGlobalCluster(string id, params string[] clusterArns) =>
        _globals[id] = new Global { Id = id, Members = [.. clusterArns], Writer = clusterArns[0] };

    /// <summary>The writer cluster's ARN of a global database (settling any finished promotion first).</summary>
    public string WriterOf(string globalId)
    {
        lock (_gate)
        {
            Settle();
            return _globals[globalId].Writer;
        }
    }

    private async Task HandleAsync(HttpContext context)
    {
        var (captured, body) = await ReceiveAsync(context.Request);
        var form = body.Split('&', StringSplitOptions.RemoveEmptyEntries)
            .Select(p => p.Split('=', 2))
            .ToDictionary(p => Uri.UnescapeDataString(p[0].Replace('+', ' ')), p => p.Length > 1 ? Uri.UnescapeDataString(p[1].Replace('+', ' ')) : string.Empty, StringComparer.Ordinal);
        var action = form.GetValueOrDefault("Action") ?? string.Empty;
        var region = captured.Region;
        try
        {
            if (form.GetValueOrDefault("Version") != RdsClient.ApiVersion)
            {
                throw new Fault(400, "InvalidParameterValue", $"Version must be {RdsClient.ApiVersion}.");
            }

            XElement result;
            lock (_gate)
            {
                Settle();
                result = action switch
                {
                    "DescribeDBClusters" => new XElement(Ns + "DBClusters", Clusters(region, form.GetValueOrDefault("DBClusterIdentifier")).Select(ClusterElement)),
                    "DescribeDBInstances" => new XElement(Ns + "DBInstances", Instances(region, form.GetValueOrDefault("DBInstanceIdentifier")).Select(InstanceElement)),
                    "DescribeGlobalClusters" => new XElement(Ns + "GlobalClusters", Globals(form.GetValueOrDefault("GlobalClusterIdentifier")).Select(g => GlobalElement(g, "GlobalClusterMember"))),
                    "SwitchoverGlobalCluster" => GlobalElement(Promote(form, switchover: true), "GlobalCluster"),
                    "FailoverGlobalCluster" => GlobalElement(Promote(form, switchover: form.GetValueOrDefault("Switchover") == "true" && form.GetValueOrDefault("AllowDataLoss") != "true"), "GlobalCluster"),
                    "PromoteReadReplicaDBCluster" => ClusterElement(PromoteCluster(region, Required(form, "DBClusterIdentifier"))),
                    "PromoteReadReplica" => InstanceElement(PromoteInstance(region, Required(form, "DBInstanceIdentifier"))),
                    _ => throw new Fault(400, "InvalidAction", $"The sandbox's RDS does not implement action '{action}'."),
                };
            }

            result = new XElement(Ns + (action + "Result"), result);
            await WriteAsync(context, 200, new XElement(Ns + (action + "Response"), result, Metadata()));
        }
        catch (Fault fault)
        {
            await WriteAsync(context, fault.Status, new XElement(
                Ns + "ErrorResponse",
                new XElement(Ns + "Error", new XElement(Ns + "Type", "Sender"), new XElement(Ns + "Code", fault.Code), new XElement(Ns + "Message", fault.Message)),
                new XElement(Ns + "RequestId", Guid.NewGuid().ToString())));
        }
    }

    private Global Promote(Dictionary<string, string> form, bool switchover)
    {
        var global = Globals(Required(form, "GlobalClusterIdentifier")).Single();
        var target = Required(form, "TargetDbClusterIdentifier");
        var member = global.Members.FirstOrDefault(m => m == target || m.EndsWith(":cluster:" + target, StringComparison.Ordinal))
            ?? throw new Fault(400, "InvalidParameterValue", $"{target} is not a member of global database {global.Id}; use the cluster's ARN.");
        if (global.Pending is not null)
        {
            throw new Fault(400, "InvalidGlobalClusterStateFault", $"Global database {global.Id} is {global.Pending.Value.Status} already.");
        }

        if (global.Writer == member)
        {
            throw new Fault(400, "InvalidGlobalClusterStateFault", $"{member} is the writer of global database {global.Id} already.");
        }

        global.Pending = (member, switchover ? "switching-over" : "failing-over", !switchover, _time.GetUtcNow() + _promotion);
        Promotions++;
        return global;
    }

    private Cluster PromoteCluster(string region, string id)
    {
        var cluster = Clusters(region, id).Single();
        if (cluster.ReplicationSource is null)
        {
            throw new Fault(400, "InvalidDBClusterStateFault", $"DB cluster {id} is not a read replica.");
        }

        cluster.Status = "promoting";
        cluster.PromotedAt = _time.GetUtcNow() + _promotion;
        Promotions++;
        return cluster;
    }

    private Instance PromoteInstance(string region, string id)
    {
        var instance = Instances(region, id).Single();
        if (instance.ReplicaOf is null)
        {
            throw new Fault(400, "InvalidDBInstanceState", $"DB instance {id} is not a read replica.");
        }

        instance.Status = "modifying";
        instance.PromotedAt = _time.GetUtcNow() + _promotion;
        Promotions++;
        return instance;
    }

    /// <summary>Completes promotions whose time has come.</summary>
    private void Settle()
    {
        var now = _time.GetUtcNow();
        foreach (var global in _globals.Values)
        {
            if (global.Pending is { } pending && now >= pending.At)
            {
                global.Writer = pending.Target;
                global.Pending = null;
            }
        }

        foreach (var cluster in _clusters.Values.Where(c => c.PromotedAt is { } at && now >= at))
        {
            cluster.ReplicationSource = null;
            cluster.Status = "available";
            cluster.PromotedAt = null;
        }

        foreach (var instance in _instances.Values.Where(i => i.PromotedAt is { } at && now >= at))
        {
            instance.ReplicaOf = null;
            instance.Status = "available";
            instance.PromotedAt = null;
        }
    }

    private IEnumerable<Cluster> Clusters(string region, string? id)
    {
        if (id is null)
        {
            return _clusters.Values.Where(c => c.Region == region).OrderBy(c => c.Id, StringComparer.Ordinal);
        }

        var found = _clusters.Values.FirstOrDefault(c => c.Arn == id) ?? _clusters.GetValueOrDefault(Key(region, id));
        return found is null ? throw new Fault(404, "DBClusterNotFoundFault", $"DBCluster {id} not found.") : [found];
    }

    private IEnumerable<Instance> Instances(string region, string? id)
    {
        if (id is null)
        {
            return _instances.Values.Where(i => i.Region == region).OrderBy(i => i.Id, StringComparer.Ordinal);
        }

        var found = _instances.GetValueOrDefault(Key(region, id));
        return found is null ? throw new Fault(404, "DBInstanceNotFound", $"DBInstance {id} not found.") : [found];
    }

    private IEnumerable<Global> Globals(string? id)
    {
        if (id is null)
        {
            return _globals.Values.OrderBy(g => g.Id, StringComparer.Ordinal);
        }

        return _globals.TryGetValue(id, out var global) ? [global] : throw new Fault(404, "GlobalClusterNotFoundFault", $"Global cluster {id} not found.");
    }

    private XElement ClusterElement(Cluster cluster)
    {
        var global = _globals.Values.FirstOrDefault(g => g.Members.Contains(cluster.Arn));
        var status = global?.Pending is { } p && (p.Target == cluster.Arn || global.Writer == cluster.Arn) ? "modifying" : cluster.Status;
        var isWriter = global is null ? cluster.ReplicationSource is null : global.Writer == cluster.Arn;
        var element = new XElement(
            Ns + "DBCluster",
            new XElement(Ns + "DBClusterIdentifier", cluster.Id),
            new XElement(Ns + "Status", status),
            new XElement(Ns + "Endpoint", $"{cluster.Id}.cluster-sandbox.{cluster.Region}.rds.amazonaws.com"),
            new XElement(Ns + "ReaderEndpoint", $"{cluster.Id}.cluster-ro-sandbox.{cluster.Region}.rds.amazonaws.com"),
            new XElement(Ns + "MultiAZ", "false"),
            new XElement(Ns + "Engine", "aurora-mysql"),
            new XElement(Ns + "EngineVersion", "8.0.mysql_aurora.3.05.2"),
            new XElement(Ns + "Port", "3306"));
        if (cluster.ReplicationSource is not null)
        {
            element.Add(new XElement(Ns + "ReplicationSourceIdentifier", cluster.ReplicationSource));
        }

        element.Add(new XElement(Ns + "ReadReplicaIdentifiers", _clusters.Values.Where(c => c.ReplicationSource == cluster.Arn || c.ReplicationSource == cluster.Id).Select(c => new XElement(Ns + "ReadReplicaIdentifier", c.Arn))));
        element.Add(new XElement(Ns + "DBClusterMembers", _instances.Values.Where(i => i.ClusterId == cluster.Id && i.Region == cluster.Region).Select(i => new XElement(
            Ns + "DBClusterMember",
            new XElement(Ns + "DBInstanceIdentifier", i.Id),
            new XElement(Ns + "IsClusterWriter", isWriter ? "true" : "false"),
            new XElement(Ns + "PromotionTier", "1")))));
        element.Add(new XElement(Ns + "DBClusterArn", cluster.Arn));
        if (global is not null)
        {
            element.Add(new XElement(Ns + "GlobalWriteForwardingStatus", "disabled"));
        }

        return element;
    }

    private XElement InstanceElement(Instance instance)
    {
        var element = new XElement(
            Ns + "DBInstance",
            new XElement(Ns + "DBInstanceIdentifier", instance.Id),
            new XElement(Ns + "DBInstanceClass", "db.r6g.large"),
            new XElement(Ns + "Engine", instance.ClusterId is null ? "mysql" : "aurora-mysql"),
            new XElement(Ns + "DBInstanceStatus", instance.Status));
        if (instance.ReplicaOf is not null)
        {
            element.Add(new XElement(Ns + "ReadReplicaSourceDBInstanceIdentifier", instance.ReplicaOf));
        }

        element.Add(new XElement(Ns + "ReadReplicaDBInstanceIdentifiers", _instances.Values.Where(i => i.ReplicaOf == instance.Id).Select(i => new XElement(Ns + "ReadReplicaDBInstanceIdentifier", i.Id))));
        if (instance.ReplicaOf is not null)
        {
            element.Add(new XElement(Ns + "StatusInfos", new XElement(
                Ns + "DBInstanceStatusInfo",
                new XElement(Ns + "StatusType", "read replication"),
                new XElement(Ns + "Normal", "true"),
                new XElement(Ns + "Status", "replicating"))));
        }

        if (instance.ClusterId is not null)
        {
            element.Add(new XElement(Ns + "DBClusterIdentifier", instance.ClusterId));
        }

        element.Add(new XElement(Ns + "DBInstanceArn", $"arn:aws:rds:{instance.Region}:{LocalAws.Account}:db:{instance.Id}"));
        return element;
    }

    private static XElement GlobalElement(Global global, string elementName)
    {
        var element = new XElement(
            Ns + elementName,
            new XElement(Ns + "GlobalClusterIdentifier", global.Id),
            new XElement(Ns + "GlobalClusterResourceId", "cluster-" + global.Id),
            new XElement(Ns + "GlobalClusterArn", $"arn:aws:rds::{LocalAws.Account}:global-cluster:{global.Id}"),
            new XElement(Ns + "Status", global.Pending is { } p ? p.Status : "available"),
            new XElement(Ns + "Engine", "aurora-mysql"),
            new XElement(Ns + "EngineVersion", "8.0.mysql_aurora.3.05.2"),
            new XElement(Ns + "StorageEncrypted", "true"),
            new XElement(Ns + "DeletionProtection", "false"),
            new XElement(Ns + "GlobalClusterMembers", global.Members.Select(arn => new XElement(
                Ns + "GlobalClusterMember",
                new XElement(Ns + "DBClusterArn", arn),
                new XElement(Ns + "Readers", arn == global.Writer ? global.Members.Where(m => m != arn).Select(m => new XElement(Ns + "member", m)) : []),
                new XElement(Ns + "IsWriter", arn == global.Writer ? "true" : "false"),
                new XElement(Ns + "SynchronizationStatus", "connected")))));
        if (global.Pending is { } pending)
        {
            element.Add(new XElement(
                Ns + "FailoverState",
                new XElement(Ns + "Status", pending.Status == "switching-over" ? "switching-over" : "failing-over"),
                new XElement(Ns + "FromDbClusterArn", global.Writer),
                new XElement(Ns + "ToDbClusterArn", pending.Target),
                new XElement(Ns + "IsDataLossAllowed", pending.DataLoss ? "true" : "false")));
        }

        return element;
    }

    private static XElement Metadata() => new(Ns + "ResponseMetadata", new XElement(Ns + "RequestId", Guid.NewGuid().ToString()));

    private static string Required(Dictionary<string, string> form, string name) =>
        form.TryGetValue(name, out var value) && value.Length > 0 ? value : throw new Fault(400, "MissingParameter", $"The request must contain the parameter {name}.");

    private static string Key(string region, string id) => region + "/" + id;

    private static async Task WriteAsync(HttpContext context, int status, XElement root)
    {
        context.Response.StatusCode = status;
        context.Response.ContentType = "text/xml";
        await context.Response.WriteAsync(root.ToString(SaveOptions.DisableFormatting), Encoding.UTF8, context.RequestAborted);
    }

    private sealed class Cluster
    {
        public required string Id { get; init; }

        public required string Region { get; init; }

        public required string Arn { get; init; }

        public string? ReplicationSource { get; set; }

        public string Status { get; set; } = "available";

        public DateTimeOffset? PromotedAt { get; set; }
    }

    private sealed class Instance
    {
        public required string Id { get; init; }

        public required string Region { get; init; }

        public string? ClusterId { get; init; }

        public string? ReplicaOf { get; set; }

        public string Status { get; set; } = "available";

        public DateTimeOffset? PromotedAt { get; set; }
    }

    private sealed class Global
    {
        public required string Id { get; init; }

        public required List<string> Members { get; init; }

        public required string Writer { get; set; }

        public (string Target, string Status, bool DataLoss, DateTimeOffset At)? Pending { get; set; }
    }

    private sealed class Fault(int status, string code, string message) : Exception(message)
    {
        public int Status { get; } = status;

        public string Code { get; } = code;
    }
}
