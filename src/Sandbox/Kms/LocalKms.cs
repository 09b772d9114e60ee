using System.Collections.Concurrent;
using System.Security.Cryptography;
using System.Text.Json.Nodes;
using IdentityReplicator.Sandbox.Capacity;
using IdentityReplicator.Sandbox.Failover;

namespace IdentityReplicator.Sandbox.Kms;

/// <summary>
/// AWS KMS on 127.0.0.1 over the real JSON 1.1 protocol (<c>TrentService.&lt;Op&gt;</c>), holding multi-Region keys:
/// a primary key in one Region and replicas (same <c>mrk-</c> key id) in others, each with an alias. Operations:
/// DescribeKey (by key id, key ARN, alias name or alias ARN, in the Region the request was signed for) and
/// ListAliases — what failover preflight calls to see that a key has a replica in the Region it fails over to. No
/// cryptography: the keys encrypt nothing.
/// </summary>
public sealed class LocalKms : LocalJsonEndpoint
{
    private readonly ConcurrentDictionary<string, MultiRegionKey> _keys = new(StringComparer.Ordinal);
    private readonly TimeProvider _time;

    private LocalKms(TimeProvider time)
    {
        _time = time;
    }

    protected override string TargetPrefix => "TrentService.";

    protected override string ServiceName => "KMS";

    public static async Task<LocalKms> StartAsync(TimeProvider time, CancellationToken cancellationToken)
    {
        var kms = new LocalKms(time);
        await kms.ListenJsonAsync(cancellationToken);
        return kms;
    }

    /// <summary>Creates a multi-Region key in <paramref name="primaryRegion"/>, replicated to <paramref name="replicaRegions"/>, with <paramref name="alias"/> in each; returns its key id.</summary>
    public string AddMultiRegionKey(string alias, string primaryRegion, params string[] replicaRegions)
    {
        var key = new MultiRegionKey("mrk-" + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(16)), alias, primaryRegion, _time.GetUtcNow());
        foreach (var region in replicaRegions)
        {
            key.Replicas[region] = 0;
        }

        _keys[key.KeyId] = key;
        return key.KeyId;
    }

    /// <summary>Deletes the replica of key <paramref name="keyId"/> in <paramref name="region"/> (to drill a missing replica).</summary>
    public void RemoveReplica(string keyId, string region) => _keys[keyId].Replicas.TryRemove(region, out _);

    /// <summary>Replicates key <paramref name="keyId"/> to <paramref name="region"/> again (KMS ReplicateKey).</summary>
    public void RestoreReplica(string keyId, string region) => _keys[keyId].Replicas[region] = 0;

    protected override JsonObject Handle(string operation, string region, JsonObject request) => operation switch
    {
        "DescribeKey" => DescribeKey(region, request["KeyId"]?.GetValue<string>() ?? throw new LocalFault(400, "ValidationException", "1 validation error detected: Value null at 'keyId' failed to satisfy constraint: Member must not be null")),
        "ListAliases" => ListAliases(region, request["KeyId"]?.GetValue<string>()),
        _ => throw Unsupported(operation),
    };

    private static string KeyArn(string region, string keyId) => $"arn:aws:kms:{region}:{LocalAws.Account}:key/{keyId}";

    private static string AliasArn(string region, string alias) => $"arn:aws:kms:{region}:{LocalAws.Account}:{alias}";

    private JsonObject DescribeKey(string region, string keyId)
    {
        var key = _keys.Values.FirstOrDefault(k => k.IsIn(region) && (k.KeyId == keyId || KeyArn(region, k.KeyId) == keyId || k.Alias == keyId || AliasArn(region, k.Alias) == keyId))
            ?? throw new LocalFault(400, "NotFoundException", keyId.Contains("alias/", StringComparison.Ordinal) ? $"Alias {AliasArn(region, keyId.Split(':')[^1])} is not found." : $"Key '{KeyArn(region, keyId.Split('/')[^1])}' does not exist");
        return new JsonObject
        {
            ["KeyMetadata"] = new JsonObject
            {
                ["AWSAccountId"] = LocalAws.Account,
                ["KeyId"] = key.KeyId,
                ["Arn"] = KeyArn(region, key.KeyId),
                ["CreationDate"] = key.Created.ToUnixTimeMilliseconds() / 1000.0,
                ["Enabled"] = true,
                ["Description"] = "Application data key of the sandbox (multi-Region).",
                ["KeyUsage"] = "ENCRYPT_DECRYPT",
                ["KeyState"] = "Enabled",
                ["Origin"] = "AWS_KMS",
                ["KeyManager"] = "CUSTOMER",
                ["CustomerMasterKeySpec"] = "SYMMETRIC_DEFAULT",
                ["KeySpec"] = "SYMMETRIC_DEFAULT",
                ["EncryptionAlgorithms"] = new JsonArray("SYMMETRIC_DEFAULT"),
                ["MultiRegion"] = true,
                ["MultiRegionConfiguration"] = new JsonObject
                {
                    ["MultiRegionKeyType"] = region == key.PrimaryRegion ? "PRIMARY" : "REPLICA",
                    ["PrimaryKey"] = new JsonObject { ["Arn"] = KeyArn(key.PrimaryRegion, key.KeyId), ["Region"] = key.PrimaryRegion },
                    ["ReplicaKeys"] = new JsonArray([.. key.Replicas.Keys.Order(StringComparer.Ordinal).Select(r => (JsonNode)new JsonObject { ["Arn"] = KeyArn(r, key.KeyId), ["Region"] = r })]),
                },
            },
        };
    }

    private JsonObject ListAliases(string region, string? keyId)
    {
        var aliases = _keys.Values
            .Where(k => k.IsIn(region) && (keyId is null || k.KeyId == keyId || KeyArn(region, k.KeyId) == keyId))
            .OrderBy(k => k.Alias, StringComparer.Ordinal)
            .Select(k => (JsonNode)new JsonObject
            {
                ["AliasName"] = k.Alias,
                ["AliasArn"] = AliasArn(region, k.Alias),
                ["TargetKeyId"] = k.KeyId,
                ["CreationDate"] = k.Created.ToUnixTimeMilliseconds() / 1000.0,
                ["LastUpdatedDate"] = k.Created.ToUnixTimeMilliseconds() / 1000.0,
            });
        return new JsonObject { ["Aliases"] = new JsonArray([.. aliases]), ["Truncated"] = false };
    }

    private sealed record MultiRegionKey(string KeyId, string Alias, string PrimaryRegion, DateTimeOffset Created)
    {
        public ConcurrentDictionary<string, byte> Replicas { get; } = new(StringComparer.Ordinal);

        public bool IsIn(string region) => region == PrimaryRegion || Replicas.ContainsKey(region);
    }
}
