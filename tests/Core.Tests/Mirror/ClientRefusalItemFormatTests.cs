using IdentityReplicator.Core.Mirror;
using IdentityReplicator.TestSupport;
using static IdentityReplicator.Core.Tests.Mirror.MirrorTestData;

namespace IdentityReplicator.Core.Tests.Mirror;

/// <summary>The item of a client's last configuration refusals on the wire, pinned (golden test), and how its store replaces them.</summary>
[Collection(DynaliteCollection.Name)]
public sealed class ClientRefusalItemFormatTests(DynaliteFixture dynalite)
{
    private const string Standby = "us-west-2_Standby1";
    private static readonly CancellationToken None = CancellationToken.None;

    [Fact]
    public async Task ReplaceAsync_OneRefusedClient_WritesThisItem()
    {
        // Arrange
        var options = await dynalite.NewTableAsync();
        var store = new DynamoDbClientRefusalStore(dynalite.Client, options);
        var web = new ClientRefusals("web", Standby, default, [new ClientRefusal("client web", "UpdateUserPoolClient", "InvalidParameterException", "bad URL", "fix the URL")]);

        // Act
        await store.ReplaceAsync(Standby, [web], T0, None);

        // Assert
        Assert.Equal(
            """
            at N 638764272000000000
            name S web
            pk S REFUSED#us-west-2_Standby1
            rs L [M {code: S InvalidParameterException, fix: S fix the URL, op: S UpdateUserPoolClient, reason: S bad URL, subj: S client web}]
            sk S web
            """,
            await RawItemTextAsync(dynalite.Client, options, "REFUSED#" + Standby, "web"));
    }

    [Fact]
    public async Task ReplaceAsync_LaterApplyWithoutTheClient_ForgetsItButAnEarlierApplyChangesNothing()
    {
        // Arrange
        var options = await dynalite.NewTableAsync();
        var store = new DynamoDbClientRefusalStore(dynalite.Client, options);
        var refusal = new ClientRefusal("secret m2m", "AddUserPoolClientSecret", "LimitExceededException", "(not shown)", "remove one");
        await store.ReplaceAsync(Standby, [new ClientRefusals("web", Standby, default, [refusal]), new ClientRefusals("m2m", Standby, default, [refusal])], T0.AddMinutes(1), None);

        // Act
        await store.ReplaceAsync(Standby, [], T0, None);
        var afterEarlier = await store.ListAsync(Standby, None);
        await store.ReplaceAsync(Standby, [new ClientRefusals("m2m", Standby, default, [refusal])], T0.AddMinutes(2), None);
        var afterLater = await store.ListAsync(Standby, None);

        // Assert
        Assert.Equal(["m2m", "web"], afterEarlier.Select(r => r.Name).Order(StringComparer.Ordinal));
        var kept = Assert.Single(afterLater);
        Assert.Equal(("m2m", T0.AddMinutes(2), refusal), (kept.Name, kept.RecordedAt, Assert.Single(kept.Refusals)));
    }
}
