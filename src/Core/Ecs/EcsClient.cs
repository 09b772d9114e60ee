using System.Text.Json.Serialization;
using Amazon.Runtime;
using IdentityReplicator.Core.Aws;

namespace IdentityReplicator.Core.Ecs;

/// <summary>Request shape <c>DescribeServicesRequest</c>.</summary>
public sealed record DescribeServicesRequest(string? Cluster, IReadOnlyList<string> Services);

/// <summary>Request shape <c>UpdateServiceRequest</c> (the members capacity steps set).</summary>
public sealed record UpdateServiceRequest(string? Cluster, string Service, int? DesiredCount);

/// <summary>An ECS service (shape <c>Service</c>; the members capacity steps use).</summary>
public sealed record EcsService
{
    public string? ServiceArn { get; init; }

    public string? ServiceName { get; init; }

    public string? ClusterArn { get; init; }

    /// <summary><c>ACTIVE</c>, <c>DRAINING</c> or <c>INACTIVE</c>.</summary>
    public string? Status { get; init; }

    public int DesiredCount { get; init; }

    public int RunningCount { get; init; }

    public int PendingCount { get; init; }

    public IReadOnlyList<EcsDeployment> Deployments { get; init; } = [];

    /// <summary>
    /// Steady: one deployment (the <c>PRIMARY</c>), its rollout not in progress, and every desired task running.
    /// </summary>
    public bool IsSteadyAt(int count) =>
        Status == "ACTIVE" && DesiredCount == count && RunningCount >= count && PendingCount == 0
        && Deployments.Count == 1 && Deployments[0].Status == "PRIMARY" && Deployments[0].RolloutState is null or "COMPLETED";
}

/// <summary>Shape <c>Deployment</c>: <c>status</c> PRIMARY/ACTIVE/INACTIVE, <c>rolloutState</c> COMPLETED/IN_PROGRESS/FAILED.</summary>
public sealed record EcsDeployment
{
    public string? Id { get; init; }

    public string? Status { get; init; }

    public int DesiredCount { get; init; }

    public int RunningCount { get; init; }

    public int PendingCount { get; init; }

    public string? RolloutState { get; init; }
}

/// <summary>Shape <c>Failure</c>: a service DescribeServices could not describe (<c>reason</c> MISSING for one that does not exist).</summary>
public sealed record EcsFailure(string? Arn, string? Reason, string? Detail);

public sealed record DescribeServicesResponse
{
    public IReadOnlyList<EcsService> Services { get; init; } = [];

    public IReadOnlyList<EcsFailure> Failures { get; init; } = [];
}

public sealed record UpdateServiceResponse
{
    public EcsService? Service { get; init; }
}

[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase, DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(DescribeServicesRequest))]
[JsonSerializable(typeof(DescribeServicesResponse))]
[JsonSerializable(typeof(UpdateServiceRequest))]
[JsonSerializable(typeof(UpdateServiceResponse))]
internal sealed partial class EcsJsonContext : JsonSerializerContext;

/// <summary>
/// An error answered by Amazon ECS (<c>ServiceNotFoundException</c>, <c>ServiceNotActiveException</c>,
/// <c>ClusterNotFoundException</c>, <c>InvalidParameterException</c>, <c>ServerException</c>, …).
/// </summary>
internal sealed class EcsException : AwsServiceException
{
    public EcsException(AwsErrorInfo error)
        : base(EcsClient.SigningName, error.Code, error.Message, error.StatusCode, error.RequestId)
    {
        Operation = error.Operation;
    }

    public EcsException()
    {
    }

    public EcsException(string message)
        : base(message)
    {
    }

    public EcsException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    public bool IsNotFound => ErrorCode is "ServiceNotFoundException" or "ServiceNotActiveException" or "ClusterNotFoundException";

    public override bool IsRetryable => base.IsRetryable || ErrorCode == "ServerException";
}

/// <summary>A thin client of Amazon ECS in one Region (AWS JSON 1.1, <c>AmazonEC2ContainerServiceV20141113.&lt;Op&gt;</c>).</summary>
public sealed class EcsClient
{
    public const string SigningName = "ecs";

    private readonly AwsJsonTransport _transport;

    public EcsClient(HttpClient http, AwsEndpoint endpoint)
    {
        Region = endpoint.Region;
        _transport = new AwsJsonTransport(http, endpoint.ResolveUri(SigningName), "AmazonEC2ContainerServiceV20141113", "1.1", e => new EcsException(e));
    }

    public string Region { get; }

    public static EcsClient Create(AwsEndpoint endpoint, AWSCredentials credentials, HttpMessageHandler? transport = null) =>
        new(SignedHttpClient.Create(credentials, endpoint.Region, SigningName, transport), endpoint);

    /// <summary>At most 10 services per call (the API's limit).</summary>
    public Task<DescribeServicesResponse> DescribeServicesAsync(DescribeServicesRequest request, CancellationToken cancellationToken = default) =>
        _transport.SendAsync("DescribeServices", request, EcsJsonContext.Default.DescribeServicesRequest, EcsJsonContext.Default.DescribeServicesResponse, cancellationToken);

    public Task<UpdateServiceResponse> UpdateServiceAsync(UpdateServiceRequest request, CancellationToken cancellationToken = default) =>
        _transport.SendAsync("UpdateService", request, EcsJsonContext.Default.UpdateServiceRequest, EcsJsonContext.Default.UpdateServiceResponse, cancellationToken);
}
