using Amazon.DynamoDBv2;
using Amazon.DynamoDBv2.Model;
using static IdentityReplicator.Core.Mirror.MirrorItems;
using static IdentityReplicator.Core.Mirror.MirrorTable;

namespace IdentityReplicator.Core.Mirror;

/// <summary>
/// A secret <c>idrep clients rotate-secret</c> set in one pool's client: its id there and the keyed fingerprint of its
/// value (<c>hmac:…</c>) — never the value. Cognito never returns a custom secret, so without this record it reads as
/// unreadable in both pools.
/// </summary>
public sealed record RotatedSecret(string UserPoolId, string ClientId, string ClientName, string SecretId, string Fingerprint, DateTimeOffset RecordedAt);

/// <summary>The fingerprints of rotated secrets, per pool, kept in the mirror table by the rotation.</summary>
public interface IRotatedSecretStore
{
    /// <summary>Records a rotated secret's fingerprint (a second put of the same secret changes nothing of meaning).</summary>
    Task PutAsync(RotatedSecret secret, CancellationToken cancellationToken);

    /// <summary>Every rotated secret recorded for the pool.</summary>
    Task<IReadOnlyList<RotatedSecret>> ListAsync(string userPoolId, CancellationToken cancellationToken);
}

/// <summary><see cref="IRotatedSecretStore"/> in the mirror table (<c>SECRETS#&lt;pool&gt;</c> / <c>&lt;client id&gt;#&lt;secret id&gt;</c>).</summary>
public sealed class DynamoDbRotatedSecretStore(IAmazonDynamoDB dynamo, MirrorOptions options) : IRotatedSecretStore
{
    private readonly string _table = options.TableName;

    public async Task PutAsync(RotatedSecret secret, CancellationToken cancellationToken)
    {
        try
        {
            await dynamo.PutItemAsync(new PutItemRequest { TableName = _table, Item = FromRotatedSecret(secret) }, cancellationToken);
        }
        catch (AmazonDynamoDBException e)
        {
            throw MirrorErrors.Wrap(e, _table, "record a rotated secret's fingerprint");
        }
    }

    public async Task<IReadOnlyList<RotatedSecret>> ListAsync(string userPoolId, CancellationToken cancellationToken)
    {
        var secrets = new List<RotatedSecret>();
        await foreach (var item in PartitionQuery.ItemsAsync(dynamo, _table, RotatedSecretsPartition(userPoolId), "read the rotated secrets' fingerprints", cancellationToken))
        {
            secrets.Add(ToRotatedSecret(userPoolId, item));
        }

        return secrets;
    }
}
