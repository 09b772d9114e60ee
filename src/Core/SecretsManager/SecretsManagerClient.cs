using System.Text.Json;
using System.Text.Json.Serialization;
using Amazon.Runtime;
using IdentityReplicator.Core.Aws;
using IdentityReplicator.Core.Cognito;

namespace IdentityReplicator.Core.SecretsManager;

public sealed record GetSecretValueRequest(string SecretId, string? VersionId = null, string? VersionStage = null);

/// <summary>GetSecretValue's reply. Its <see cref="ToString"/> leaves the value out, so it cannot reach a log by accident.</summary>
public sealed record GetSecretValueResponse
{
    [JsonPropertyName("ARN")]
    public string? Arn { get; init; }

    public string? Name { get; init; }

    public string? VersionId { get; init; }

    /// <summary>The secret. Never log, store or print it.</summary>
    public string? SecretString { get; init; }

    public DateTimeOffset? CreatedDate { get; init; }

    public override string ToString() => $"GetSecretValueResponse {{ Arn = {Arn}, VersionId = {VersionId}, SecretString = (redacted) }}";
}

public sealed record DescribeSecretRequest(string SecretId);

/// <summary>DescribeSecret's reply (the members replication checks use); it never holds the secret's value.</summary>
public sealed record DescribeSecretResponse
{
    [JsonPropertyName("ARN")]
    public string? Arn { get; init; }

    public string? Name { get; init; }

    /// <summary>The Region the secret is replicated from; absent for a secret that has no replicas.</summary>
    public string? PrimaryRegion { get; init; }

    public DateTimeOffset? DeletedDate { get; init; }

    public IReadOnlyList<ReplicationStatusType> ReplicationStatus { get; init; } = [];
}

/// <summary>Shape <c>ReplicationStatusType</c>: <c>Status</c> InSync, Failed or InProgress.</summary>
public sealed record ReplicationStatusType
{
    public string? Region { get; init; }

    public string? KmsKeyId { get; init; }

    public string? Status { get; init; }

    public string? StatusMessage { get; init; }
}

[JsonSourceGenerationOptions(DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull, Converters = [typeof(EpochSecondsConverter)])]
[JsonSerializable(typeof(GetSecretValueRequest))]
[JsonSerializable(typeof(GetSecretValueResponse))]
[JsonSerializable(typeof(DescribeSecretRequest))]
[JsonSerializable(typeof(DescribeSecretResponse))]
internal sealed partial class SecretsManagerJsonContext : JsonSerializerContext;

/// <summary>An error answered by AWS Secrets Manager (e.g. <c>ResourceNotFoundException</c>, <c>AccessDeniedException</c>, <c>DecryptionFailure</c>).</summary>
public sealed class SecretsManagerException : AwsServiceException
{
    public SecretsManagerException(AwsErrorInfo error)
        : base(SecretsManagerClient.SigningName, error.Code, error.Message, error.StatusCode, error.RequestId)
    {
        Operation = error.Operation;
    }

    public SecretsManagerException()
    {
    }

    public SecretsManagerException(string message)
        : base(message)
    {
    }

    public SecretsManagerException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    /// <summary>The secret does not exist (or was scheduled for deletion).</summary>
    public bool IsNotFound => ErrorCode == "ResourceNotFoundException";
}

/// <summary>
/// A thin client of AWS Secrets Manager (JSON 1.1, <c>secretsmanager.&lt;Op&gt;</c>, signed with SigV4 by
/// AWSSDK.Core): reading the secret a Cognito app client publishes there (<c>ClientSecretArn</c>) and a secret's replication status. The SDK package
/// is not used; like the other thin clients, this is one transport and one typed call.
/// </summary>
public sealed class SecretsManagerClient
{
    public const string SigningName = "secretsmanager";

    private readonly AwsJsonTransport _transport;

    public SecretsManagerClient(HttpClient http, AwsEndpoint endpoint)
    {
        _transport = new AwsJsonTransport(http, endpoint.ResolveUri(SigningName), SigningName, "1.1", e => new SecretsManagerException(e));
    }

    public static SecretsManagerClient Create(AwsEndpoint endpoint, AWSCredentials credentials, HttpMessageHandler? transport = null) =>
        new(SignedHttpClient.Create(credentials, endpoint.Region, SigningName, transport), endpoint);

    public Task<GetSecretValueResponse> GetSecretValueAsync(GetSecretValueRequest request, CancellationToken cancellationToken = default) =>
        _transport.SendAsync("GetSecretValue", request, SecretsManagerJsonContext.Default.GetSecretValueRequest, SecretsManagerJsonContext.Default.GetSecretValueResponse, cancellationToken);

    /// <summary>The secret's metadata and replication status (DescribeSecret); never its value.</summary>
    public Task<DescribeSecretResponse> DescribeSecretAsync(DescribeSecretRequest request, CancellationToken cancellationToken = default) =>
        _transport.SendAsync("DescribeSecret", request, SecretsManagerJsonContext.Default.DescribeSecretRequest, SecretsManagerJsonContext.Default.DescribeSecretResponse, cancellationToken);

    /// <summary>
    /// The client secret a Cognito-published secret holds: the <c>client_secret</c> (or <c>ClientSecret</c>,
    /// <c>clientSecret</c>, or <c>clientSecretValue</c> — the sandbox's local Secrets Manager shape, after the API's
    /// <c>ClientSecretValue</c>) member of a JSON secret string, else the whole string. Null when the secret has no string value.
    /// </summary>
    public static string? ClientSecretOf(GetSecretValueResponse response)
    {
        var text = response.SecretString;
        if (string.IsNullOrEmpty(text) || text[0] != '{')
        {
            return string.IsNullOrEmpty(text) ? null : text;
        }

        try
        {
            using var document = JsonDocument.Parse(text);
            foreach (var name in (ReadOnlySpan<string>)["client_secret", "ClientSecret", "clientSecret", "clientSecretValue"])
            {
                if (document.RootElement.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String)
                {
                    return value.GetString();
                }
            }

            return null;
        }
        catch (JsonException)
        {
            return text;
        }
    }
}
