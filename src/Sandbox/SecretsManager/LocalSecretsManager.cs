using System.Collections.Concurrent;
using System.Text.Json.Nodes;
using IdentityReplicator.Sandbox.Capacity;
using IdentityReplicator.Sandbox.Cognito.Configuration;
using IdentityReplicator.Sandbox.Failover;

namespace IdentityReplicator.Sandbox.SecretsManager;

/// <summary>
/// AWS Secrets Manager on 127.0.0.1 over the real JSON 1.1 protocol (<c>secretsmanager.&lt;Op&gt;</c>): GetSecretValue
/// and DescribeSecret, by ARN or name, in the Region of the ARN (else the one the request was signed for). It serves
/// the app client secrets the sandbox's pools keep there (<c>PublishSecretsInAWSSecretsManager</c>), and the
/// application's own secrets replicated to other Regions (<see cref="AddReplicated"/>): DescribeSecret shows their
/// <c>PrimaryRegion</c> and <c>ReplicationStatus</c>, which failover preflight reads. No KMS, no rotation, no versions
/// other than the current one.
/// </summary>
internal sealed class LocalSecretsManager : LocalJsonEndpoint
{
    private readonly Func<string, string, ManagedSecret?> _find;
    private readonly ConcurrentDictionary<string, ReplicatedSecret> _replicated = new(StringComparer.Ordinal);
    private readonly TimeProvider _time;

    private LocalSecretsManager(Func<string, string, ManagedSecret?> find, TimeProvider time)
    {
        _find = find;
        _time = time;
    }

    protected override string TargetPrefix => "secretsmanager.";

    protected override string ServiceName => "Secrets Manager";

    protected override string MessageField => "Message";

    /// <summary>Starts the endpoint; <paramref name="find"/> looks an app client secret up by (Region, ARN or name).</summary>
    public static async Task<LocalSecretsManager> StartAsync(Func<string, string, ManagedSecret?> find, TimeProvider time, CancellationToken cancellationToken)
    {
        var secretsManager = new LocalSecretsManager(find, time);
        await secretsManager.ListenJsonAsync(cancellationToken);
        return secretsManager;
    }

    /// <summary>Adds an application secret in <paramref name="primaryRegion"/> with a replica, InSync, in each of <paramref name="replicaRegions"/>.</summary>
    public ReplicatedSecret AddReplicated(string name, string primaryRegion, string secretString, params string[] replicaRegions)
    {
        var secret = new ReplicatedSecret(name, primaryRegion, secretString, _time.GetUtcNow());
        foreach (var region in replicaRegions)
        {
            secret.SetReplica(region, ReplicatedSecret.InSync);
        }

        _replicated[name] = secret;
        return secret;
    }

    /// <summary>The replicated application secret named <paramref name="name"/> (to change its replicas' status in a test).</summary>
    public ReplicatedSecret Replicated(string name) => _replicated[name];

    protected override JsonObject Handle(string operation, string region, JsonObject request)
    {
        var secretId = request["SecretId"] is JsonValue id && id.TryGetValue<string>(out var text) ? text : null;
        if (operation is not ("GetSecretValue" or "DescribeSecret"))
        {
            throw Unsupported(operation);
        }

        if (secretId is null)
        {
            throw new LocalFault(400, "InvalidParameterException", "You must specify a SecretId.");
        }

        var arnRegion = secretId.StartsWith("arn:", StringComparison.Ordinal) && secretId.Split(':') is { Length: > 4 } parts ? parts[3] : region;
        if (FindReplicated(arnRegion, secretId) is { } replicated)
        {
            return operation == "DescribeSecret" ? replicated.Describe(arnRegion) : replicated.Value(arnRegion, request);
        }

        var secret = _find(arnRegion, secretId) ?? throw new LocalFault(400, "ResourceNotFoundException", "Secrets Manager can't find the specified secret.");
        if (operation == "GetSecretValue")
        {
            var stage = request["VersionStage"]?.GetValue<string>();
            var version = request["VersionId"]?.GetValue<string>();
            if ((stage is not null && stage != "AWSCURRENT") || (version is not null && version != secret.VersionId))
            {
                throw new LocalFault(400, "ResourceNotFoundException", "Secrets Manager can't find the specified secret value for VersionId or VersionStage.");
            }

            return new JsonObject
            {
                ["ARN"] = secret.Arn,
                ["Name"] = secret.Name,
                ["VersionId"] = secret.VersionId,
                ["SecretString"] = secret.SecretString,
                ["VersionStages"] = new JsonArray("AWSCURRENT"),
                ["CreatedDate"] = Seconds(secret.CreatedDate),
            };
        }

        return new JsonObject
        {
            ["ARN"] = secret.Arn,
            ["Name"] = secret.Name,
            ["Description"] = "App client secret managed by Amazon Cognito.",
            ["RotationEnabled"] = false,
            ["LastChangedDate"] = Seconds(secret.LastChangedDate),
            ["Tags"] = new JsonArray(),
            ["VersionIdsToStages"] = new JsonObject { [secret.VersionId] = new JsonArray("AWSCURRENT") },
            ["OwningService"] = "cognito-idp",
            ["CreatedDate"] = Seconds(secret.CreatedDate),
        };
    }

    internal static double Seconds(DateTimeOffset at) => at.ToUnixTimeMilliseconds() / 1000.0;

    /// <summary>A replicated secret by name or ARN, in its primary Region or one holding a replica of it.</summary>
    private ReplicatedSecret? FindReplicated(string region, string secretId)
    {
        var secret = _replicated.Values.FirstOrDefault(s => s.Name == secretId || s.ArnIn(region) == secretId);
        return secret is not null && (secret.PrimaryRegion == region || secret.HasReplica(region)) ? secret : null;
    }
}
