using System.Globalization;
using System.Xml.Linq;
using Amazon.Runtime;
using IdentityReplicator.Core.Aws;

namespace IdentityReplicator.Core.AutoScaling;

/// <summary>An EC2 Auto Scaling group (shape <c>AutoScalingGroup</c> of the API model; the members capacity steps use).</summary>
public sealed record AutoScalingGroup
{
    public required string AutoScalingGroupName { get; init; }

    public string? AutoScalingGroupARN { get; init; }

    public int MinSize { get; init; }

    public int MaxSize { get; init; }

    public int DesiredCapacity { get; init; }

    /// <summary>Set while the group is being deleted (<c>Delete in progress</c>).</summary>
    public string? Status { get; init; }

    public IReadOnlyList<AutoScalingInstance> Instances { get; init; } = [];

    /// <summary>Instances in service and healthy: what "this much capacity is serving" means.</summary>
    public int InServiceHealthyCount => Instances.Count(i => i.LifecycleState == "InService" && i.HealthStatus == "Healthy");

    internal static AutoScalingGroup Read(XElement e) => new()
    {
        AutoScalingGroupName = e.Text("AutoScalingGroupName") ?? string.Empty,
        AutoScalingGroupARN = e.Text("AutoScalingGroupARN"),
        MinSize = (int)(e.Long("MinSize") ?? 0),
        MaxSize = (int)(e.Long("MaxSize") ?? 0),
        DesiredCapacity = (int)(e.Long("DesiredCapacity") ?? 0),
        Status = e.Text("Status"),
        Instances = [.. e.Items("Instances").Select(i => new AutoScalingInstance(i.Text("InstanceId") ?? string.Empty, i.Text("LifecycleState") ?? string.Empty, i.Text("HealthStatus") ?? string.Empty))],
    };
}

/// <summary>One instance of a group (shape <c>Instance</c>): <c>LifecycleState</c> Pending/InService/Terminating/…, <c>HealthStatus</c> Healthy/Unhealthy.</summary>
public sealed record AutoScalingInstance(string InstanceId, string LifecycleState, string HealthStatus);

/// <summary>Request shape <c>UpdateAutoScalingGroupType</c> (the members capacity steps set; null members are not sent).</summary>
public sealed record UpdateAutoScalingGroupRequest(string AutoScalingGroupName, int? MinSize = null, int? MaxSize = null, int? DesiredCapacity = null);

/// <summary>Reply shape <c>DescribeAccountLimitsAnswer</c>.</summary>
internal sealed record AutoScalingAccountLimits(int? MaxNumberOfAutoScalingGroups, int? NumberOfAutoScalingGroups);

/// <summary>
/// An error answered by EC2 Auto Scaling (<c>ScalingActivityInProgress</c>, <c>ResourceContention</c>,
/// <c>ValidationError</c>, …). A group that does not exist is not an error of DescribeAutoScalingGroups (the list is
/// empty) but a <c>ValidationError</c> of UpdateAutoScalingGroup.
/// </summary>
internal sealed class AutoScalingException : AwsServiceException
{
    public AutoScalingException(AwsErrorInfo error)
        : base(AutoScalingClient.SigningName, error.Code, error.Message, error.StatusCode, error.RequestId)
    {
        Operation = error.Operation;
    }

    public AutoScalingException()
    {
    }

    public AutoScalingException(string message)
        : base(message)
    {
    }

    public AutoScalingException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    /// <summary>Another scaling activity or update holds the group: the same call succeeds a moment later.</summary>
    public override bool IsRetryable => base.IsRetryable || ErrorCode is "ScalingActivityInProgress" or "ResourceContention";
}

/// <summary>A thin client of EC2 Auto Scaling in one Region (Query protocol, API 2011-01-01, XML replies).</summary>
public sealed class AutoScalingClient
{
    public const string SigningName = "autoscaling";
    public const string ApiVersion = "2011-01-01";

    private readonly AwsQueryTransport _transport;

    public AutoScalingClient(HttpClient http, AwsEndpoint endpoint)
    {
        Region = endpoint.Region;
        _transport = new AwsQueryTransport(http, endpoint.ResolveUri(SigningName), ApiVersion, e => new AutoScalingException(e));
    }

    public string Region { get; }

    public static AutoScalingClient Create(AwsEndpoint endpoint, AWSCredentials credentials, HttpMessageHandler? transport = null) =>
        new(SignedHttpClient.Create(credentials, endpoint.Region, SigningName, transport), endpoint);

    /// <summary>The named groups that exist (all pages); a name that does not exist is simply absent.</summary>
    public async Task<IReadOnlyList<AutoScalingGroup>> DescribeAutoScalingGroupsAsync(IReadOnlyList<string> autoScalingGroupNames, CancellationToken cancellationToken = default)
    {
        var names = autoScalingGroupNames.Select((n, i) => new KeyValuePair<string, string>($"AutoScalingGroupNames.member.{i + 1}", n)).ToList();
        var groups = new List<AutoScalingGroup>();
        string? next = null;
        do
        {
            var page = new List<KeyValuePair<string, string>>(names);
            if (next is not null)
            {
                page.Add(new("NextToken", next));
            }

            var result = await _transport.SendAsync("DescribeAutoScalingGroups", page, cancellationToken);
            groups.AddRange(result.Items("AutoScalingGroups").Select(AutoScalingGroup.Read));
            next = result.Text("NextToken");
        }
        while (!string.IsNullOrEmpty(next));
        return groups;
    }

    public async Task UpdateAutoScalingGroupAsync(UpdateAutoScalingGroupRequest request, CancellationToken cancellationToken = default)
    {
        var parameters = new List<KeyValuePair<string, string>> { new("AutoScalingGroupName", request.AutoScalingGroupName) };
        Add(parameters, "MinSize", request.MinSize);
        Add(parameters, "MaxSize", request.MaxSize);
        Add(parameters, "DesiredCapacity", request.DesiredCapacity);
        await _transport.SendAsync("UpdateAutoScalingGroup", parameters, cancellationToken);
    }

    internal async Task<AutoScalingAccountLimits> DescribeAccountLimitsAsync(CancellationToken cancellationToken = default)
    {
        var result = await _transport.SendAsync("DescribeAccountLimits", [], cancellationToken);
        return new AutoScalingAccountLimits((int?)result.Long("MaxNumberOfAutoScalingGroups"), (int?)result.Long("NumberOfAutoScalingGroups"));
    }

    private static void Add(List<KeyValuePair<string, string>> parameters, string name, int? value)
    {
        if (value is { } v)
        {
            parameters.Add(new(name, v.ToString(CultureInfo.InvariantCulture)));
        }
    }
}
