using System.Globalization;
using Amazon.Runtime;
using IdentityReplicator.Core.Aws;

namespace IdentityReplicator.Core.Rds;

/// <summary>An error answered by RDS (<c>DBClusterNotFoundFault</c>, <c>InvalidDBClusterStateFault</c>, …).</summary>
internal sealed class RdsException : AwsServiceException
{
    public RdsException(AwsErrorInfo error)
        : base(RdsClient.SigningName, error.Code, error.Message, error.StatusCode, error.RequestId)
    {
    }

    public RdsException()
    {
    }

    public RdsException(string message)
        : base(message)
    {
    }

    public RdsException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    public bool IsNotFound => ErrorCode is "DBClusterNotFoundFault" or "DBInstanceNotFound" or "DBInstanceNotFoundFault" or "GlobalClusterNotFoundFault";
}

/// <summary>A thin client of Amazon RDS in one Region (Query protocol, API 2014-10-31, XML replies).</summary>
public sealed class RdsClient
{
    public const string SigningName = "rds";
    public const string ApiVersion = "2014-10-31";

    private readonly AwsQueryTransport _transport;

    public RdsClient(HttpClient http, AwsEndpoint endpoint)
    {
        Region = endpoint.Region;
        _transport = new AwsQueryTransport(http, endpoint.ResolveUri(SigningName), ApiVersion, e => new RdsException(e));
    }

    public string Region { get; }

    public static RdsClient Create(AwsEndpoint endpoint, AWSCredentials credentials, HttpMessageHandler? transport = null) =>
        new(SignedHttpClient.Create(credentials, endpoint.Region, SigningName, transport), endpoint);

    public async Task<IReadOnlyList<DBCluster>> DescribeDBClustersAsync(string? dbClusterIdentifier = null, CancellationToken cancellationToken = default) =>
        await PagesAsync("DescribeDBClusters", "DBClusters", DBCluster.Read, Parameter("DBClusterIdentifier", dbClusterIdentifier), cancellationToken);

    public async Task<IReadOnlyList<DBInstance>> DescribeDBInstancesAsync(string? dbInstanceIdentifier = null, CancellationToken cancellationToken = default) =>
        await PagesAsync("DescribeDBInstances", "DBInstances", DBInstance.Read, Parameter("DBInstanceIdentifier", dbInstanceIdentifier), cancellationToken);

    public async Task<IReadOnlyList<GlobalCluster>> DescribeGlobalClustersAsync(string? globalClusterIdentifier = null, CancellationToken cancellationToken = default) =>
        await PagesAsync("DescribeGlobalClusters", "GlobalClusters", GlobalCluster.Read, Parameter("GlobalClusterIdentifier", globalClusterIdentifier), cancellationToken);

    /// <summary>A planned switchover: no data loss; the global database must be healthy.</summary>
    public async Task<GlobalCluster> SwitchoverGlobalClusterAsync(string globalClusterIdentifier, string targetDbClusterIdentifier, CancellationToken cancellationToken = default)
    {
        var result = await _transport.SendAsync(
            "SwitchoverGlobalCluster",
            [new("GlobalClusterIdentifier", globalClusterIdentifier), new("TargetDbClusterIdentifier", targetDbClusterIdentifier)],
            cancellationToken);
        return GlobalCluster.Read(result.Child("GlobalCluster") ?? throw new RdsException("SwitchoverGlobalCluster returned no GlobalCluster."));
    }

    /// <summary>An unplanned failover (<paramref name="allowDataLoss"/>) or a switchover by the failover API.</summary>
    public async Task<GlobalCluster> FailoverGlobalClusterAsync(string globalClusterIdentifier, string targetDbClusterIdentifier, bool? allowDataLoss, bool? switchover, CancellationToken cancellationToken = default)
    {
        var parameters = new List<KeyValuePair<string, string>>
        {
            new("GlobalClusterIdentifier", globalClusterIdentifier),
            new("TargetDbClusterIdentifier", targetDbClusterIdentifier),
        };
        parameters.AddRange(Parameter("AllowDataLoss", Bool(allowDataLoss)));
        parameters.AddRange(Parameter("Switchover", Bool(switchover)));
        var result = await _transport.SendAsync("FailoverGlobalCluster", parameters, cancellationToken);
        return GlobalCluster.Read(result.Child("GlobalCluster") ?? throw new RdsException("FailoverGlobalCluster returned no GlobalCluster."));
    }

    public async Task<DBCluster> PromoteReadReplicaDBClusterAsync(string dbClusterIdentifier, CancellationToken cancellationToken = default)
    {
        var result = await _transport.SendAsync("PromoteReadReplicaDBCluster", [new("DBClusterIdentifier", dbClusterIdentifier)], cancellationToken);
        return DBCluster.Read(result.Child("DBCluster") ?? throw new RdsException("PromoteReadReplicaDBCluster returned no DBCluster."));
    }

    public async Task<DBInstance> PromoteReadReplicaAsync(string dbInstanceIdentifier, int? backupRetentionPeriod = null, CancellationToken cancellationToken = default)
    {
        var parameters = new List<KeyValuePair<string, string>> { new("DBInstanceIdentifier", dbInstanceIdentifier) };
        parameters.AddRange(Parameter("BackupRetentionPeriod", backupRetentionPeriod?.ToString(CultureInfo.InvariantCulture)));
        var result = await _transport.SendAsync("PromoteReadReplica", parameters, cancellationToken);
        return DBInstance.Read(result.Child("DBInstance") ?? throw new RdsException("PromoteReadReplica returned no DBInstance."));
    }

    private async Task<List<T>> PagesAsync<T>(string action, string listName, Func<System.Xml.Linq.XElement, T> read, IEnumerable<KeyValuePair<string, string>> parameters, CancellationToken cancellationToken)
    {
        var items = new List<T>();
        var fixedParameters = parameters.ToList();
        string? marker = null;
        do
        {
            var page = new List<KeyValuePair<string, string>>(fixedParameters);
            page.AddRange(Parameter("Marker", marker));
            var result = await _transport.SendAsync(action, page, cancellationToken);
            items.AddRange(result.Items(listName).Select(read));
            marker = result.Text("Marker");
        }
        while (!string.IsNullOrEmpty(marker));
        return items;
    }

    private static IEnumerable<KeyValuePair<string, string>> Parameter(string name, string? value) =>
        value is null ? [] : [new(name, value)];

    private static string? Bool(bool? value) => value is null ? null : value.Value ? "true" : "false";
}
