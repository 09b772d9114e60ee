using System.Xml.Linq;
using IdentityReplicator.Core.Aws;

namespace IdentityReplicator.Core.Rds;

/// <summary>An Aurora cluster (shape <c>DBCluster</c> of the RDS API model; the members failover uses).</summary>
public sealed record DBCluster
{
    public required string DBClusterIdentifier { get; init; }

    public string? DBClusterArn { get; init; }

    /// <summary><c>available</c>, <c>promoting</c>, <c>failing-over</c>, <c>modifying</c>, …</summary>
    public string? Status { get; init; }

    public string? Engine { get; init; }

    public string? Endpoint { get; init; }

    /// <summary>Set while the cluster replicates from another (a cross-Region read replica cluster).</summary>
    public string? ReplicationSourceIdentifier { get; init; }

    public IReadOnlyList<string> ReadReplicaIdentifiers { get; init; } = [];

    public IReadOnlyList<DBClusterMember> DBClusterMembers { get; init; } = [];

    public string? GlobalWriteForwardingStatus { get; init; }

    internal static DBCluster Read(XElement e) => new()
    {
        DBClusterIdentifier = e.Text("DBClusterIdentifier") ?? string.Empty,
        DBClusterArn = e.Text("DBClusterArn"),
        Status = e.Text("Status"),
        Engine = e.Text("Engine"),
        Endpoint = e.Text("Endpoint"),
        ReplicationSourceIdentifier = e.Text("ReplicationSourceIdentifier"),
        ReadReplicaIdentifiers = [.. e.Items("ReadReplicaIdentifiers").Select(i => i.Value)],
        DBClusterMembers = [.. e.Items("DBClusterMembers").Select(m => new DBClusterMember(m.Text("DBInstanceIdentifier") ?? string.Empty, m.Bool("IsClusterWriter") ?? false))],
        GlobalWriteForwardingStatus = e.Text("GlobalWriteForwardingStatus"),
    };
}

public sealed record DBClusterMember(string DBInstanceIdentifier, bool IsClusterWriter);

/// <summary>A DB instance (shape <c>DBInstance</c>; the members failover uses).</summary>
public sealed record DBInstance
{
    public required string DBInstanceIdentifier { get; init; }

    public string? DBInstanceArn { get; init; }

    public string? DBInstanceStatus { get; init; }

    public string? Engine { get; init; }

    public string? DBClusterIdentifier { get; init; }

    /// <summary>Set while the instance is a read replica of another.</summary>
    public string? ReadReplicaSourceDBInstanceIdentifier { get; init; }

    public IReadOnlyList<string> ReadReplicaDBInstanceIdentifiers { get; init; } = [];

    /// <summary>For read replicas: <c>StatusType</c> "read replication", <c>Status</c> replicating / error / stopped.</summary>
    public IReadOnlyList<DBInstanceStatusInfo> StatusInfos { get; init; } = [];

    internal static DBInstance Read(XElement e) => new()
    {
        DBInstanceIdentifier = e.Text("DBInstanceIdentifier") ?? string.Empty,
        DBInstanceArn = e.Text("DBInstanceArn"),
        DBInstanceStatus = e.Text("DBInstanceStatus"),
        Engine = e.Text("Engine"),
        DBClusterIdentifier = e.Text("DBClusterIdentifier"),
        ReadReplicaSourceDBInstanceIdentifier = e.Text("ReadReplicaSourceDBInstanceIdentifier"),
        ReadReplicaDBInstanceIdentifiers = [.. e.Items("ReadReplicaDBInstanceIdentifiers").Select(i => i.Value)],
        StatusInfos = [.. e.Items("StatusInfos").Select(s => new DBInstanceStatusInfo(s.Text("StatusType"), s.Bool("Normal") ?? false, s.Text("Status"), s.Text("Message")))],
    };
}

public sealed record DBInstanceStatusInfo(string? StatusType, bool Normal, string? Status, string? Message);

/// <summary>An Aurora global database (shape <c>GlobalCluster</c>).</summary>
public sealed record GlobalCluster
{
    public required string GlobalClusterIdentifier { get; init; }

    public string? GlobalClusterArn { get; init; }

    public string? Status { get; init; }

    public string? Engine { get; init; }

    public IReadOnlyList<GlobalClusterMember> GlobalClusterMembers { get; init; } = [];

    /// <summary>Present while a switchover or failover is in progress (or just finished).</summary>
    public FailoverState? FailoverState { get; init; }

    public GlobalClusterMember? Writer => GlobalClusterMembers.FirstOrDefault(m => m.IsWriter);

    internal static GlobalCluster Read(XElement e)
    {
        var failover = e.Child("FailoverState");
        return new GlobalCluster
        {
            GlobalClusterIdentifier = e.Text("GlobalClusterIdentifier") ?? string.Empty,
            GlobalClusterArn = e.Text("GlobalClusterArn"),
            Status = e.Text("Status"),
            Engine = e.Text("Engine"),
            GlobalClusterMembers =
            [
                .. e.Items("GlobalClusterMembers").Select(m => new GlobalClusterMember(
                    m.Text("DBClusterArn") ?? string.Empty,
                    [.. m.Items("Readers").Select(r => r.Value)],
                    m.Bool("IsWriter") ?? false,
                    m.Text("SynchronizationStatus"))),
            ],
            FailoverState = failover is null || !failover.HasElements
                ? null
                : new FailoverState(failover.Text("Status"), failover.Text("FromDbClusterArn"), failover.Text("ToDbClusterArn"), failover.Bool("IsDataLossAllowed") ?? false),
        };
    }
}

public sealed record GlobalClusterMember(string DBClusterArn, IReadOnlyList<string> Readers, bool IsWriter, string? SynchronizationStatus);

/// <summary><c>Status</c>: pending, failing-over, cancelling.</summary>
public sealed record FailoverState(string? Status, string? FromDbClusterArn, string? ToDbClusterArn, bool IsDataLossAllowed);
