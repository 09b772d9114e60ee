using IdentityReplicator.Core.Mirror;
using IdentityReplicator.TestSupport;
using static IdentityReplicator.Core.Tests.Mirror.MirrorTestData;

namespace IdentityReplicator.Core.Tests.Mirror;

/// <summary>The app-client id mapping item on the wire, pinned (golden test), and how its store keeps the newest.</summary>
[Collection(DynaliteCollection.Name)]
public sealed class ClientMappingItemFormatTests(DynaliteFixture dynalite)
{
    private const string Standby = "us-west-2_Standby1";
    private static readonly CancellationToken None = CancellationToken.None;

    [Fact]
    public async Task PutAsync_Mapping_WritesThisItem()
    {
        // Arrange
        var options = await dynalite.NewTableAsync();
        var store = new DynamoDbClientMappingStore(dynalite.Client, options);

        // Act
        await store.PutAsync(new ClientMapping("web", PrimaryPool, "primary-web-id", Standby, "standby-web-id", T0), None);

        // Assert
        Assert.Equal(
            """
            at N 638764272000000000
            name S web
            pk S CLIENTS#us-west-2_Standby1
            pool S us-east-1_Primary1
            scid S primary-web-id
            sk S web
            tcid S standby-web-id
            """,
            await RawItemTextAsync(dynalite.Client, options, "CLIENTS#" + Standby, "web"));
    }

    [Fact]
    public async Task PutAsync_OlderAfterNewer_KeepsTheNewerAndListsItOnce()
    {
        // Arrange
        var options = await dynalite.NewTableAsync();
        var store = new DynamoDbClientMappingStore(dynalite.Client, options);
        await store.PutAsync(new ClientMapping("web", PrimaryPool, "p-web", Standby, "s-web-2", T0.AddMinutes(1)), None);

        // Act
        await store.PutAsync(new ClientMapping("web", PrimaryPool, "p-web", Standby, "s-web-1", T0), None);
        await store.PutAsync(new ClientMapping("m2m", PrimaryPool, "p-m2m", Standby, "s-m2m", T0), None);
        var listed = await store.ListAsync(Standby, None);

        // Assert
        Assert.Equal(["m2m:s-m2m", "web:s-web-2"], listed.Select(m => $"{m.Name}:{m.TargetClientId}").Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task DeleteAsync_Mapping_IsNoLongerListed()
    {
        // Arrange
        var options = await dynalite.NewTableAsync();
        var store = new DynamoDbClientMappingStore(dynalite.Client, options);
        await store.PutAsync(new ClientMapping("web", PrimaryPool, "p-web", Standby, "s-web", T0), None);

        // Act
        await store.DeleteAsync(Standby, "web", None);

        // Assert
        Assert.Empty(await store.ListAsync(Standby, None));
    }
}
