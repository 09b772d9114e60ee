using System.Text.Json.Nodes;
using IdentityReplicator.Core.PoolConfiguration;
using IdentityReplicator.Reconciler.Configuration;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;

namespace IdentityReplicator.Reconciler.Tests.Configuration;

/// <summary>What <c>idrep clients</c> shows for each client pair: both ids, the secret state, what is pending.</summary>
public sealed class ClientPairsTests
{
    [Fact]
    public async Task From_PoolsWithEveryKindOfPair_NamesBothIdsTheSecretStateAndWhatIsPending()
    {
        // Arrange
        var source = new InMemoryConfigurationPool("eu-west-1_Source", "eu-west-1");
        var target = new InMemoryConfigurationPool("eu-central-1_Target", "eu-central-1");
        var webSource = source.AddClient(Client("web"), "web-secret");
        var webTarget = target.AddClient(Client("web"), "web-secret");
        source.AddClient(Client("m2m"), "new-m2m-secret");
        target.AddClient(Client("m2m"), "old-m2m-secret");
        source.AddClient(Client("spa"));
        target.AddClient(Client("spa"));
        source.AddClient(Client("batch"), "batch-secret");
        target.AddClient(Client("legacy"));
        var applier = new ConfigurationApplier(source, target, null, new ConfigurationReplicationOptions(), new FakeTimeProvider(), NullLogger<ConfigurationApplier>.Instance);

        // Act
        var pairs = ClientPairs.From(await applier.CompareAsync(CancellationToken.None)).ToDictionary(p => p.Name);

        // Assert
        Assert.Equal((webSource, webTarget, SecretState.Same, 0), (pairs["web"].SourceClientId, pairs["web"].TargetClientId, pairs["web"].Secret, pairs["web"].Pending.Length));
        Assert.Equal(SecretState.Differs, pairs["m2m"].Secret);
        Assert.Contains(pairs["m2m"].Pending, p => p.StartsWith("copy the secret", StringComparison.Ordinal));
        Assert.Equal(SecretState.None, pairs["spa"].Secret);
        Assert.Equal((SecretState.Missing, null), (pairs["batch"].Secret, pairs["batch"].TargetClientId));
        Assert.Contains(pairs["batch"].Pending, p => p.StartsWith("create in the target", StringComparison.Ordinal));
        Assert.Contains(pairs["legacy"].Pending, p => p.StartsWith("delete from the target", StringComparison.Ordinal));
        string[] secrets = ["web-secret", "new-m2m-secret", "old-m2m-secret", "batch-secret"];
        Assert.All(pairs.Values.SelectMany(p => p.Pending), p => Assert.DoesNotContain(secrets, s => p.Contains(s, StringComparison.Ordinal)));
    }

    private static JsonObject Client(string name) => new() { ["ClientName"] = name, ["CallbackURLs"] = new JsonArray($"https://{name}.example.com/cb") };
}
