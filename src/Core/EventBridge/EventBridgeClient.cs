using System.Text.Json.Serialization;
using Amazon.Runtime;
using IdentityReplicator.Core.Aws;

namespace IdentityReplicator.Core.EventBridge;

public sealed record PutEventsRequestEntry
{
    public DateTimeOffset? Time { get; init; }
    public required string Source { get; init; }
    public IReadOnlyList<string>? Resources { get; init; }
    public required string DetailType { get; init; }

    /// <summary>The event's detail, a JSON object as a string.</summary>
    public required string Detail { get; init; }

    public string? EventBusName { get; init; }
    public string? TraceHeader { get; init; }
}

public sealed record PutEventsRequest(IReadOnlyList<PutEventsRequestEntry> Entries);

public sealed record PutEventsResultEntry(string? EventId, string? ErrorCode, string? ErrorMessage);

public sealed record PutEventsResponse
{
    public int FailedEntryCount { get; init; }
    public IReadOnlyList<PutEventsResultEntry>? Entries { get; init; }
}

[JsonSourceGenerationOptions(DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull, Converters = [typeof(Cognito.EpochSecondsConverter)])]
[JsonSerializable(typeof(PutEventsRequest))]
[JsonSerializable(typeof(PutEventsResponse))]
internal sealed partial class EventBridgeJsonContext : JsonSerializerContext;

/// <summary>An error answered by EventBridge.</summary>
public sealed class EventBridgeException : AwsServiceException
{
    public EventBridgeException(AwsErrorInfo error)
        : base("events", error.Code, error.Message, error.StatusCode, error.RequestId)
    {
    }

    public EventBridgeException()
    {
    }

    public EventBridgeException(string message)
        : base(message)
    {
    }

    public EventBridgeException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}

/// <summary>A thin client of Amazon EventBridge (JSON 1.1, <c>AWSEvents.&lt;Op&gt;</c>): publishing events.</summary>
public sealed class EventBridgeClient
{
    public const string SigningName = "events";

    private readonly AwsJsonTransport _transport;

    public EventBridgeClient(HttpClient http, AwsEndpoint endpoint)
    {
        _transport = new AwsJsonTransport(http, endpoint.ResolveUri(SigningName), "AWSEvents", "1.1", e => new EventBridgeException(e));
    }

    public static EventBridgeClient Create(AwsEndpoint endpoint, AWSCredentials credentials, HttpMessageHandler? transport = null) =>
        new(SignedHttpClient.Create(credentials, endpoint.Region, SigningName, transport), endpoint);

    /// <summary>Publishes up to 10 events. Entries EventBridge could not take come back with an error code (not thrown).</summary>
    public Task<PutEventsResponse> PutEventsAsync(PutEventsRequest request, CancellationToken cancellationToken = default) =>
        _transport.SendAsync("PutEvents", request, EventBridgeJsonContext.Default.PutEventsRequest, EventBridgeJsonContext.Default.PutEventsResponse, cancellationToken);
}
