using System.Text.Json.Serialization;
using Amazon.Runtime;
using IdentityReplicator.Core.Aws;

namespace IdentityReplicator.Core.CloudWatch;

public sealed record Dimension(string Name, string Value);

/// <summary>Request shape <c>GetMetricStatisticsInput</c> of the CloudWatch API model (the members failover uses).</summary>
internal sealed record GetMetricStatisticsRequest
{
    public required string Namespace { get; init; }

    public required string MetricName { get; init; }

    public IReadOnlyList<Dimension>? Dimensions { get; init; }

    public required DateTimeOffset StartTime { get; init; }

    public required DateTimeOffset EndTime { get; init; }

    public required int Period { get; init; }

    public IReadOnlyList<string>? Statistics { get; init; }
}

internal sealed record Datapoint
{
    public DateTimeOffset Timestamp { get; init; }

    public double? Maximum { get; init; }

    public double? Average { get; init; }

    public string? Unit { get; init; }
}

internal sealed record GetMetricStatisticsResponse
{
    public string? Label { get; init; }

    public IReadOnlyList<Datapoint>? Datapoints { get; init; }
}

[JsonSourceGenerationOptions(DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull, Converters = [typeof(Cognito.EpochSecondsConverter)])]
[JsonSerializable(typeof(GetMetricStatisticsRequest))]
[JsonSerializable(typeof(GetMetricStatisticsResponse))]
internal sealed partial class CloudWatchJsonContext : JsonSerializerContext;

/// <summary>An error answered by CloudWatch.</summary>
internal sealed class CloudWatchException : AwsServiceException
{
    public CloudWatchException(AwsErrorInfo error)
        : base(CloudWatchClient.SigningName, error.Code, error.Message, error.StatusCode, error.RequestId)
    {
    }

    public CloudWatchException()
    {
    }

    public CloudWatchException(string message)
        : base(message)
    {
    }

    public CloudWatchException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}

/// <summary>
/// A thin client of Amazon CloudWatch in one Region: reading a metric's statistics (the Aurora replica lag). AWS JSON
/// 1.0 (<c>GraniteServiceVersion20100801.&lt;Op&gt;</c>), the protocol the current AWS SDKs speak to CloudWatch.
/// </summary>
public sealed class CloudWatchClient
{
    public const string SigningName = "monitoring";

    private readonly AwsJsonTransport _transport;

    public CloudWatchClient(HttpClient http, AwsEndpoint endpoint)
    {
        _transport = new AwsJsonTransport(http, endpoint.ResolveUri(SigningName), "GraniteServiceVersion20100801", "1.0", e => new CloudWatchException(e));
    }

    public static CloudWatchClient Create(AwsEndpoint endpoint, AWSCredentials credentials, HttpMessageHandler? transport = null) =>
        new(SignedHttpClient.Create(credentials, endpoint.Region, SigningName, transport), endpoint);

    internal Task<GetMetricStatisticsResponse> GetMetricStatisticsAsync(GetMetricStatisticsRequest request, CancellationToken cancellationToken = default) =>
        _transport.SendAsync("GetMetricStatistics", request, CloudWatchJsonContext.Default.GetMetricStatisticsRequest, CloudWatchJsonContext.Default.GetMetricStatisticsResponse, cancellationToken);
}
