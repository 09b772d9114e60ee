using System.Text.Json.Nodes;
using IdentityReplicator.Core.Cognito;
using IdentityReplicator.Core.Mirror;
using IdentityReplicator.Core.PoolConfiguration;
using IdentityReplicator.Reconciler.Apply;
using IdentityReplicator.Reconciler.Configuration;
using IdentityReplicator.TestSupport;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;

namespace IdentityReplicator.Reconciler.Tests.Configuration;

/// <summary>
/// Configuration hints from the feed: one object read in both pools and applied, idempotent like users (a replay reads
/// nothing, a duplicate of an unchanged object writes nothing), refusals parked with the reason and the fix.
/// </summary>
public sealed class ConfigurationFeedTests
{
    private const string Region = "eu-central-1";
    private const string Secret = "s3cr3t-value-of-the-m2m-client";
    private static readonly CancellationToken None = CancellationToken.None;
    private static readonly DateTimeOffset Now = new(2026, 12, 1, 9, 0, 0, TimeSpan.Zero);

    private readonly InMemoryConfigurationPool _source = new("eu-west-1_Source", "eu-west-1");
    private readonly InMemoryConfigurationPool _target = new("eu-central-1_Target", Region);
    private readonly InMemoryClientMappings _mappings = new();
    private readonly InMemoryReplicaState _state = new();
    private readonly ConfigurationReplicationOptions _options = new() { SecretFingerprintKey = Convert.ToBase64String(new byte[32]) };
    private long _version = Now.UtcTicks;

    [Fact]
    public async Task ApplyAsync_ClientHint_CreatesThatClientWithTheSameSecretAndLeavesEveryOtherClientAlone()
    {
        // Arrange
        var m2m = _source.AddClient(new JsonObject { ["ClientName"] = "m2m", ["AllowedOAuthFlows"] = new JsonArray("client_credentials") }, Secret);
        _source.AddClient(new JsonObject { ["ClientName"] = "source-only" });
        _target.AddClient(new JsonObject { ["ClientName"] = "target-only" });

        // Act
        var result = await Feed().ApplyAsync(Hint(ConfigObjectKind.Client, m2m), None);

        // Assert
        Assert.Equal(ApplyOutcome.Applied, result.Outcome);
        Assert.Equal(["CreateUserPoolClient"], _target.Writes);
        Assert.Equal(["m2m", "target-only"], _target.Clients.Values.Select(c => (string)c.Settings["ClientName"]!).Order());
        Assert.Equal(Secret, Assert.Single(_target.Clients.Values.Single(c => (string)c.Settings["ClientName"]! == "m2m").Secrets).Value);
    }

    [Fact]
    public async Task ApplyAsync_TheSameHintAgain_IsSkippedWithoutReadingEitherPool()
    {
        // Arrange
        var hint = Hint(ConfigObjectKind.Pool);
        _source.Pool = Policy(12);
        await Feed().ApplyAsync(hint, None);
        var reads = (_source.Reads, _target.Reads);

        // Act
        var replay = await Feed().ApplyAsync(hint, None);

        // Assert
        Assert.Equal(ApplyOutcome.Skipped, replay.Outcome);
        Assert.Equal(reads, (_source.Reads, _target.Reads));
        Assert.Equal(["UpdateUserPool"], _target.Writes);
    }

    [Fact]
    public async Task ApplyAsync_ADuplicateRecordOfAnUnchangedObject_ReadsOnlyTheSourceAndWritesNothing()
    {
        // Arrange
        _source.Pool = Policy(12);
        await Feed().ApplyAsync(Hint(ConfigObjectKind.Pool), None);
        var targetReads = _target.Reads;

        // Act
        var duplicate = await Feed().ApplyAsync(Hint(ConfigObjectKind.Pool), None);

        // Assert
        Assert.Equal(ApplyOutcome.InSync, duplicate.Outcome);
        Assert.Equal(targetReads, _target.Reads);
        Assert.Equal(["UpdateUserPool"], _target.Writes);
    }

    [Fact]
    public async Task ApplyAsync_PoolHint_WritesThePoolSettingsOnlyNotOtherObjectsThatDiffer()
    {
        _source.Pool = Policy(14);
        _source.ResourceServers["api"] = new JsonObject { ["Identifier"] = "api", ["Name"] = "API" };

        await Feed().ApplyAsync(Hint(ConfigObjectKind.Pool), None);

        Assert.Equal(["UpdateUserPool"], _target.Writes);
        Assert.Equal(14, (int)_target.Pool["Policies"]!["PasswordPolicy"]!["MinimumLength"]!);
        Assert.Empty(_target.ResourceServers);
    }

    [Fact]
    public async Task ApplyAsync_ClientDeletedInTheSource_DeletesItsCounterpartNamedByTheMapping()
    {
        // Arrange
        var id = _source.AddClient(new JsonObject { ["ClientName"] = "old-app" });
        await Feed().ApplyAsync(Hint(ConfigObjectKind.Client, id), None);
        _source.Clients.Remove(id);

        // Act
        var result = await Feed().ApplyAsync(Hint(ConfigObjectKind.Client, id, "DeleteUserPoolClient"), None);

        // Assert
        Assert.Equal(ApplyOutcome.Applied, result.Outcome);
        Assert.Empty(_target.Clients);
        Assert.Equal(["CreateUserPoolClient", "DeleteUserPoolClient"], _target.Writes);
    }

    [Fact]
    public async Task ApplyAsync_ClientNeitherPoolNorMappingKnows_IsSkippedAndWritesNothing()
    {
        var result = await Feed().ApplyAsync(Hint(ConfigObjectKind.Client, "gone-before-capture"), None);

        Assert.Equal(ApplyOutcome.Skipped, result.Outcome);
        Assert.Empty(_target.Writes);
    }

    [Fact]
    public async Task ApplyAsync_TargetRefusesTheWrite_ParksTheObjectWithCognitosCodeAndTheFixThenAWorkingHintUnparksIt()
    {
        // Arrange
        _source.Pool = Policy(12);
        _target.Refuse["UpdateUserPool"] = CognitoErrors.Create("InvalidEmailRoleAccessPolicyException", "SES identity not verified in eu-central-1");
        var hint = Hint(ConfigObjectKind.Pool);

        // Act
        var refused = await Feed().ApplyAsync(hint, None);
        var parked = Assert.Single(_state.Parked);
        _target.Refuse.Clear();
        var retried = await Feed().ApplyAsync(Hint(ConfigObjectKind.Pool), None);

        // Assert
        Assert.Equal(ApplyOutcome.Parked, refused.Outcome);
        Assert.Equal((hint.Entity, "InvalidEmailRoleAccessPolicyException"), (parked.Entity, parked.Code));
        Assert.Contains("SES identity not verified", parked.Reason, StringComparison.Ordinal);
        Assert.Contains("SES identity", parked.Reason, StringComparison.Ordinal);
        Assert.Contains("Replication:RegionalValues", parked.Reason, StringComparison.Ordinal);
        Assert.Equal(ApplyOutcome.Applied, retried.Outcome);
        Assert.Empty(_state.Parked);
    }

    private static JsonObject Policy(int minimumLength) => new() { ["Policies"] = new JsonObject { ["PasswordPolicy"] = new JsonObject { ["MinimumLength"] = minimumLength } } };

    private ConfigurationHint Hint(ConfigObjectKind kind, string? id = null, string operation = "Update") => new()
    {
        SourcePoolId = _source.UserPoolId,
        Kind = kind,
        ObjectId = id,
        Operation = operation,
        Version = ++_version,
        ChangedAt = Now,
    };

    private ConfigurationFeed Feed()
    {
        var time = new FakeTimeProvider(Now);
        var applier = new ConfigurationApplier(_source, _target, _mappings, _options, time, NullLogger<ConfigurationApplier>.Instance);
        return new ConfigurationFeed(applier, _state, Region, time, NullLogger<ConfigurationFeed>.Instance);
    }
}
