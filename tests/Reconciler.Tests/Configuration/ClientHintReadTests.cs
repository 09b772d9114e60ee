using System.Text.Json.Nodes;
using IdentityReplicator.Core.Mirror;
using IdentityReplicator.Core.PoolConfiguration;
using IdentityReplicator.Reconciler.Apply;
using IdentityReplicator.Reconciler.Configuration;
using IdentityReplicator.TestSupport;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;

namespace IdentityReplicator.Reconciler.Tests.Configuration;

/// <summary>
/// A client hint reads the hinted client and its counterpart the client mapping names — two Cognito calls per pool,
/// however many clients the pools hold — and falls back to listing the pools' clients by name when the mapping is
/// missing or stale (the client renamed, the counterpart gone, a name held twice). Every path converges.
/// </summary>
public sealed class ClientHintReadTests
{
    private const string Region = "eu-central-1";
    private static readonly CancellationToken None = CancellationToken.None;
    private static readonly DateTimeOffset Now = new(2026, 12, 1, 9, 0, 0, TimeSpan.Zero);

    private readonly InMemoryConfigurationPool _source = new("eu-west-1_Source", "eu-west-1");
    private readonly InMemoryConfigurationPool _target = new("eu-central-1_Target", Region);
    private readonly InMemoryClientMappings _mappings = new();
    private readonly InMemoryReplicaState _state = new();
    private readonly ConfigurationReplicationOptions _options = new() { SecretFingerprintKey = Convert.ToBase64String(new byte[32]) };
    private long _version = Now.UtcTicks;

    [Fact]
    public async Task ApplyAsync_ClientUpdateWithAMapping_DescribesOnlyTheHintedClientAndItsCounterpart()
    {
        // Arrange: twenty clients in each pool, all mapped by a sweep.
        var ids = Enumerable.Range(0, 20).Select(i => _source.AddClient(Client($"app-{i}", "https://a.example/cb"), $"secret-value-of-app-{i}-0000")).ToList();
        await Applier().ApplyAsync(None);
        _source.Calls.Clear();
        _target.Calls.Clear();
        _source.Clients[ids[7]].Settings["CallbackURLs"] = new JsonArray("https://b.example/cb");

        // Act
        var result = await Feed().ApplyAsync(Hint(ids[7]), None);

        // Assert
        Assert.Equal(ApplyOutcome.Applied, result.Outcome);
        Assert.Equal(["DescribeUserPoolClient", "ListUserPoolClientSecrets"], _source.Calls);
        Assert.Equal(["DescribeUserPoolClient", "ListUserPoolClientSecrets"], _target.Calls);
        Assert.Equal("https://b.example/cb", (string?)TargetClient("app-7").Settings["CallbackURLs"]![0]);
    }

    [Fact]
    public async Task ApplyAsync_ClientCreated_ListsClientNamesAndDescribesOnlyTheSameNamedOnes()
    {
        // Arrange
        for (var i = 0; i < 20; i++)
        {
            _source.AddClient(Client($"app-{i}"));
        }

        await Applier().ApplyAsync(None);
        var created = _source.AddClient(Client("new-app"), "secret-value-of-the-new-app-000");
        _source.Calls.Clear();
        _target.Calls.Clear();

        // Act
        await Feed().ApplyAsync(Hint(created), None);

        // Assert: no Describe of the twenty other clients in either pool.
        Assert.Equal(2, _source.Calls.Count(c => c == "DescribeUserPoolClient"));
        Assert.Equal(["ListUserPoolClients"], _target.Calls);
        Assert.Equal("secret-value-of-the-new-app-000", Assert.Single(TargetClient("new-app").Secrets).Value);
        Assert.Equal(created, _mappings.Items[(_target.UserPoolId, "new-app")].SourceClientId);
    }

    [Fact]
    public async Task ApplyAsync_ClientRenamedSinceItWasMapped_FallsBackToTheListingAndReplacesTheOldName()
    {
        // Arrange
        var id = _source.AddClient(Client("web", "https://a.example/cb"));
        await Applier().ApplyAsync(None);
        _source.Clients[id].Settings["ClientName"] = "web-v2";

        // Act
        var result = await Feed().ApplyAsync(Hint(id), None);

        // Assert
        Assert.Equal(ApplyOutcome.Applied, result.Outcome);
        Assert.Equal(["web-v2"], _target.Clients.Values.Select(c => (string?)c.Settings["ClientName"]));
        Assert.Equal(["web-v2"], _mappings.Items.Keys.Select(k => k.Name));
        Assert.Equal(id, _mappings.Items[(_target.UserPoolId, "web-v2")].SourceClientId);
    }

    [Fact]
    public async Task ApplyAsync_CounterpartDeletedInTheTargetByHand_FallsBackAndCreatesItAgain()
    {
        // Arrange
        var id = _source.AddClient(Client("web", "https://a.example/cb"));
        await Applier().ApplyAsync(None);
        _target.Clients.Clear();
        _source.Clients[id].Settings["CallbackURLs"] = new JsonArray("https://b.example/cb");

        // Act
        var result = await Feed().ApplyAsync(Hint(id), None);

        // Assert
        Assert.Equal(ApplyOutcome.Applied, result.Outcome);
        Assert.Equal("https://b.example/cb", (string?)TargetClient("web").Settings["CallbackURLs"]![0]);
        Assert.Equal(TargetClient("web").Settings["ClientId"]!.ToString(), _mappings.Items[(_target.UserPoolId, "web")].TargetClientId);
    }

    [Fact]
    public async Task ApplyAsync_SourceGainsASecondClientOfAMappedName_DropsTheMappingAndLeavesTheNameAlone()
    {
        // Arrange
        var first = _source.AddClient(Client("web", "https://a.example/cb"));
        await Applier().ApplyAsync(None);
        var second = _source.AddClient(Client("web", "https://evil.example/cb"));
        await Feed().ApplyAsync(Hint(second), None);
        _target.Writes.Clear();
        _source.Clients[first].Settings["CallbackURLs"] = new JsonArray("https://c.example/cb");

        // Act: the first client's own hint must not copy it over the pair either.
        await Feed().ApplyAsync(Hint(first), None);

        // Assert
        Assert.Empty(_mappings.Items);
        Assert.Empty(_target.Writes);
        Assert.Equal("https://a.example/cb", (string?)TargetClient("web").Settings["CallbackURLs"]![0]);
    }

    [Fact]
    public async Task ApplyAsync_ASweepFindsTheTargetHoldsAMappedNameTwice_DropsTheMappingSoHintsLeaveThePairAlone()
    {
        // Arrange
        var id = _source.AddClient(Client("web", "https://a.example/cb"));
        await Applier().ApplyAsync(None);
        _target.AddClient(Client("web", "https://by-hand.example/cb"));

        // Act
        await Applier().ApplyAsync(None);
        _target.Writes.Clear();
        _source.Clients[id].Settings["CallbackURLs"] = new JsonArray("https://b.example/cb");
        await Feed().ApplyAsync(Hint(id), None);

        // Assert
        Assert.Empty(_mappings.Items);
        Assert.Empty(_target.Writes);
    }

    private static JsonObject Client(string name, string? callback = null)
    {
        var client = new JsonObject { ["ClientName"] = name };
        if (callback is not null)
        {
            client["CallbackURLs"] = new JsonArray(callback);
        }

        return client;
    }

    private (JsonObject Settings, List<(string Id, string Value, bool Readable)> Secrets) TargetClient(string name) =>
        _target.Clients.Values.Single(c => (string?)c.Settings["ClientName"] == name);

    private ConfigurationHint Hint(string clientId) => new()
    {
        SourcePoolId = _source.UserPoolId,
        Kind = ConfigObjectKind.Client,
        ObjectId = clientId,
        Operation = "UpdateUserPoolClient",
        Version = ++_version,
        ChangedAt = Now,
    };

    private ConfigurationApplier Applier() =>
        new(_source, _target, _mappings, _options, new FakeTimeProvider(Now), NullLogger<ConfigurationApplier>.Instance);

    private ConfigurationFeed Feed()
    {
        var time = new FakeTimeProvider(Now);
        return new ConfigurationFeed(Applier(), _state, Region, time, NullLogger<ConfigurationFeed>.Instance);
    }
}
