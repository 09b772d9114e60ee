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
/// The configuration sweep applies like hints: one object at a time under the object's apply lease (an object another
/// worker holds is left to it), a refusal parked on the object with the reason and the fix (the same item a hint
/// parks), client refusals kept for <c>idrep clients</c>, and an object parked before that is now in sync un-parked.
/// </summary>
public sealed class ConfigurationSweepObjectTests
{
    private const string Region = "eu-central-1";
    private static readonly CancellationToken None = CancellationToken.None;
    private static readonly DateTimeOffset Now = new(2026, 12, 1, 9, 0, 0, TimeSpan.Zero);

    private readonly InMemoryConfigurationPool _source = new("eu-west-1_Source", "eu-west-1");
    private readonly InMemoryConfigurationPool _target = new("eu-central-1_Target", Region);
    private readonly InMemoryClientMappings _mappings = new();
    private readonly ClientRefusalTests.InMemoryClientRefusals _refusals = new();
    private readonly InMemoryReplicaState _state = new();
    private readonly FakeTimeProvider _time = new(Now);
    private readonly ConfigurationReplicationOptions _options = new() { SecretFingerprintKey = Convert.ToBase64String(new byte[32]) };

    [Fact]
    public async Task SweepAsync_AnObjectWhoseLeaseAnotherWorkerHolds_IsLeftToItAndTheRestIsApplied()
    {
        // Arrange
        _source.ResourceServers["api"] = new JsonObject { ["Identifier"] = "api", ["Name"] = "API" };
        _source.AddClient(new JsonObject { ["ClientName"] = "web" });
        var entity = ConfigurationHint.EntityIdOf(_source.UserPoolId, ConfigObjectKind.ResourceServer, "api");
        var other = new ApplyLeaseHolder("other-host@pid:[2]/1/1/aaaaaaaaaaaa", _ => false);
        var held = await ApplyLease.TryTakeAsync(_state, Region, entity, other, TimeSpan.FromSeconds(30), _time, None);
        Assert.NotNull(held);

        // Act
        var swept = await Feed().SweepAsync(None);

        // Assert
        Assert.Equal(["CreateUserPoolClient"], _target.Writes);
        Assert.Equal(1, swept.Deferred);
        Assert.Empty(_target.ResourceServers);
    }

    [Fact]
    public async Task SweepAsync_TargetRefusesOneObject_ParksThatObjectAsAHintWouldAndAppliesTheRest()
    {
        // Arrange
        _source.Pool = new JsonObject { ["Policies"] = new JsonObject { ["PasswordPolicy"] = new JsonObject { ["MinimumLength"] = 14 } } };
        _source.AddClient(new JsonObject { ["ClientName"] = "web" });
        _target.Refuse["UpdateUserPool"] = CognitoErrors.Create("InvalidEmailRoleAccessPolicyException", "SES identity not verified in eu-central-1");

        // Act
        var swept = await Feed().SweepAsync(None);

        // Assert
        var parked = Assert.Single(_state.Parked);
        Assert.Equal(ConfigurationHint.EntityIdOf(_source.UserPoolId, ConfigObjectKind.Pool, null), parked.Entity);
        Assert.Equal("InvalidEmailRoleAccessPolicyException", parked.Code);
        Assert.Contains("Replication:RegionalValues", parked.Reason, StringComparison.Ordinal);
        Assert.Equal(["CreateUserPoolClient"], _target.Writes);
        Assert.Single(swept.Result.Refused);
    }

    [Fact]
    public async Task SweepAsync_ClientCreateRefused_ParksTheClientByItsSourceIdAndKeepsTheRefusalForIdrepClients()
    {
        // Arrange
        var id = _source.AddClient(new JsonObject { ["ClientName"] = "m2m" });
        _target.Refuse["CreateUserPoolClient"] = CognitoErrors.Create("LimitExceededException", "too many clients");

        // Act
        await Feed().SweepAsync(None);

        // Assert
        Assert.Equal(ConfigurationHint.EntityIdOf(_source.UserPoolId, ConfigObjectKind.Client, id), Assert.Single(_state.Parked).Entity);
        Assert.Equal("LimitExceededException", Assert.Single(_refusals.Items["m2m"].Refusals).Code);
    }

    [Fact]
    public async Task SweepAsync_AnObjectParkedBeforeIsNowInSync_UnparksIt()
    {
        // Arrange
        _source.Pool = new JsonObject { ["Policies"] = new JsonObject { ["PasswordPolicy"] = new JsonObject { ["MinimumLength"] = 14 } } };
        _target.Refuse["UpdateUserPool"] = CognitoErrors.Create("InvalidParameterException", "refused");
        await Feed().SweepAsync(None);
        Assert.Single(_state.Parked);
        _target.Refuse.Clear();
        _target.Pool = (JsonObject)_source.Pool.DeepClone();

        // Act
        var swept = await Feed().SweepAsync(None);

        // Assert
        Assert.Empty(swept.Result.Applied);
        Assert.Empty(_state.Parked);
    }

    [Fact]
    public async Task ApplyAsync_HintForOneClient_KeepsTheRefusalsTheSweepKeptForAnother()
    {
        // Arrange
        var a = _source.AddClient(new JsonObject { ["ClientName"] = "a" });
        _source.AddClient(new JsonObject { ["ClientName"] = "b" });
        _target.Refuse["CreateUserPoolClient"] = CognitoErrors.Create("LimitExceededException", "too many clients");
        await Feed().SweepAsync(None);
        _target.Refuse.Clear();

        // Act
        await Feed().ApplyAsync(new ConfigurationHint { SourcePoolId = _source.UserPoolId, Kind = ConfigObjectKind.Client, ObjectId = a, Operation = "UpdateUserPoolClient", Version = Now.UtcTicks, ChangedAt = Now }, None);

        // Assert
        Assert.Equal(["b"], _refusals.Items.Keys);
    }

    [Fact]
    public async Task SweepAsync_SourceChangedAndHintAppliedBetweenTheSweepsReads_DoesNotRollTheTargetBack()
    {
        // Arrange: the sweep reads the source before a change and the target after the change's hint was applied.
        var tightened = new JsonObject { ["Policies"] = new JsonObject { ["PasswordPolicy"] = new JsonObject { ["MinimumLength"] = 14 } } };
        _target.AfterRead = read =>
        {
            if (read == 1)
            {
                _source.Pool = (JsonObject)tightened.DeepClone();
                _target.Pool = (JsonObject)tightened.DeepClone();
            }
        };

        // Act
        var swept = await Feed().SweepAsync(None);

        // Assert: the object is read again under its lease, found in sync, and left alone.
        Assert.Empty(swept.Result.Applied);
        Assert.DoesNotContain("UpdateUserPool", _target.Writes);
        Assert.Equal(14, (int?)_target.Pool["Policies"]?["PasswordPolicy"]?["MinimumLength"]);
    }

    private ConfigurationFeed Feed()
    {
        var applier = new ConfigurationApplier(_source, _target, _mappings, _options, _time, NullLogger<ConfigurationApplier>.Instance, _refusals);
        return new ConfigurationFeed(applier, _state, Region, _time, NullLogger<ConfigurationFeed>.Instance);
    }
}
