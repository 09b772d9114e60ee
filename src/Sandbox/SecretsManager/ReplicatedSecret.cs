using System.Collections.Concurrent;
using System.Text.Json.Nodes;
using IdentityReplicator.Sandbox.Capacity;
using IdentityReplicator.Sandbox.Failover;

namespace IdentityReplicator.Sandbox.SecretsManager;

/// <summary>
/// An application secret of the sandbox with replicas in other Regions, as Secrets Manager describes one: the same
/// name in every Region, an ARN per Region, and per replica a status (<c>InSync</c>, <c>InProgress</c>, <c>Failed</c>).
/// </summary>
internal sealed class ReplicatedSecret(string name, string primaryRegion, string secretString, DateTimeOffset created)
{
    public const string InSync = "InSync";

    private const string Suffix = "a1B2c3";
    private readonly ConcurrentDictionary<string, string> _replicas = new(StringComparer.Ordinal);
    private readonly string _versionId = Guid.NewGuid().ToString();

    public string Name => name;

    public string PrimaryRegion => primaryRegion;

    /// <summary>Sets a replica's status (adds the replica when there was none).</summary>
    public void SetReplica(string region, string status) => _replicas[region] = status;

    /// <summary>Removes the replica in <paramref name="region"/>.</summary>
    public void RemoveReplica(string region) => _replicas.TryRemove(region, out _);

    public bool HasReplica(string region) => _replicas.ContainsKey(region);

    public string ArnIn(string region) => $"arn:aws:secretsmanager:{region}:{LocalAws.Account}:secret:{name}-{Suffix}";

    /// <summary>DescribeSecret's reply in <paramref name="region"/> (the primary's lists every replica; a replica's names its primary).</summary>
    public JsonObject Describe(string region)
    {
        var reply = new JsonObject
        {
            ["ARN"] = ArnIn(region),
            ["Name"] = name,
            ["Description"] = "Application secret replicated by Secrets Manager.",
            ["RotationEnabled"] = false,
            ["LastChangedDate"] = LocalSecretsManager.Seconds(created),
            ["Tags"] = new JsonArray(),
            ["VersionIdsToStages"] = new JsonObject { [_versionId] = new JsonArray("AWSCURRENT") },
            ["CreatedDate"] = LocalSecretsManager.Seconds(created),
            ["PrimaryRegion"] = primaryRegion,
        };
        if (region == primaryRegion)
        {
            reply["ReplicationStatus"] = new JsonArray([.. _replicas.OrderBy(r => r.Key, StringComparer.Ordinal).Select(r => (JsonNode)new JsonObject
            {
                ["Region"] = r.Key,
                ["KmsKeyId"] = "alias/aws/secretsmanager",
                ["Status"] = r.Value,
                ["StatusMessage"] = r.Value == InSync ? "Replication succeeded" : "Replication failed: the sandbox was told so",
                ["LastAccessedDate"] = LocalSecretsManager.Seconds(created),
            })]);
        }

        return reply;
    }

    /// <summary>GetSecretValue's reply in <paramref name="region"/>.</summary>
    public JsonObject Value(string region, JsonObject request)
    {
        var stage = request["VersionStage"]?.GetValue<string>();
        if (stage is not null && stage != "AWSCURRENT")
        {
            throw new LocalFault(400, "ResourceNotFoundException", "Secrets Manager can't find the specified secret value for VersionId or VersionStage.");
        }

        return new JsonObject
        {
            ["ARN"] = ArnIn(region),
            ["Name"] = name,
            ["VersionId"] = _versionId,
            ["SecretString"] = secretString,
            ["VersionStages"] = new JsonArray("AWSCURRENT"),
            ["CreatedDate"] = LocalSecretsManager.Seconds(created),
        };
    }
}
