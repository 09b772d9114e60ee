using IdentityReplicator.Core.Mirror;
using IdentityReplicator.TestSupport;
using static IdentityReplicator.Core.Tests.Mirror.MirrorTestData;

namespace IdentityReplicator.Core.Tests.Mirror;

/// <summary>The item of a rotated secret's fingerprint on the wire, pinned (golden test): a fingerprint, never a value.</summary>
[Collection(DynaliteCollection.Name)]
public sealed class RotatedSecretItemFormatTests(DynaliteFixture dynalite)
{
    private const string Pool = "us-west-2_Standby1";
    private static readonly CancellationToken None = CancellationToken.None;

    [Fact]
    public async Task PutAsync_ARotatedSecret_WritesThisItemAndListsItBack()
    {
        // Arrange
        var options = await dynalite.NewTableAsync();
        var store = new DynamoDbRotatedSecretStore(dynalite.Client, options);
        var secret = new RotatedSecret(Pool, "client1", "m2m", "secret-2", "hmac:00112233445566778899aabbccddeeff", T0);

        // Act
        await store.PutAsync(secret, None);

        // Assert
        Assert.Equal(
            """
            at N 638764272000000000
            cid S client1
            fp S hmac:00112233445566778899aabbccddeeff
            name S m2m
            pk S SECRETS#us-west-2_Standby1
            sid S secret-2
            sk S client1#secret-2
            """,
            await RawItemTextAsync(dynalite.Client, options, "SECRETS#" + Pool, "client1#secret-2"));
        Assert.Equal(secret, Assert.Single(await store.ListAsync(Pool, None)));
    }
}
