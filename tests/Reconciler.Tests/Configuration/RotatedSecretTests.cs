using System.Text.Json.Nodes;
using IdentityReplicator.Core.Mirror;
using IdentityReplicator.Core.PoolConfiguration;
using IdentityReplicator.Reconciler.Configuration;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;

namespace IdentityReplicator.Reconciler.Tests.Configuration;

/// <summary>
/// A rotated (custom) secret Cognito never returns: the rotation records its keyed fingerprint per secret id, so the
/// comparison — and <c>idrep clients</c> — sees it as the same secret in both pools instead of unreadable.
/// </summary>
public sealed class RotatedSecretTests
{
    private const string OldSecret = "old-secret-value-of-the-m2m-client";
    private static readonly CancellationToken None = CancellationToken.None;

    private readonly InMemoryConfigurationPool _primary = new("eu-west-1_Primary", "eu-west-1");
    private readonly InMemoryConfigurationPool _standby = new("eu-central-1_Standby", "eu-central-1");
    private readonly InMemoryRotatedSecrets _store = new();
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 12, 1, 9, 0, 0, TimeSpan.Zero));
    private readonly ConfigurationReplicationOptions _options = new() { SecretFingerprintKey = Convert.ToBase64String(new byte[32]) };

    [Fact]
    public async Task ClientPairs_AfterARotationInBothPools_ShowSameForTheRotatedSecret()
    {
        // Arrange
        _primary.AddClient(new JsonObject { ["ClientName"] = "m2m" }, OldSecret);
        _standby.AddClient(new JsonObject { ["ClientName"] = "m2m" }, OldSecret);
        var rotation = new SecretRotation(_primary, _standby, _options, NullLogger<SecretRotation>.Instance, _store, _time);
        await rotation.ApplyAsync(await rotation.PlanAsync("m2m", None), (_, _) => Task.CompletedTask, None);
        var applier = new ConfigurationApplier(_primary, _standby, null, _options, _time, NullLogger<ConfigurationApplier>.Instance, rotatedSecrets: _store);

        // Act
        var pair = Assert.Single(ClientPairs.From(await applier.CompareAsync(None)));

        // Assert
        Assert.Equal(SecretState.Same, pair.Secret);
    }

    [Fact]
    public async Task ApplyAsync_Rotation_RecordsEachPoolsSecretIdAndFingerprintNeverTheValue()
    {
        // Arrange
        var primaryId = _primary.AddClient(new JsonObject { ["ClientName"] = "m2m" }, OldSecret);
        var standbyId = _standby.AddClient(new JsonObject { ["ClientName"] = "m2m" }, OldSecret);
        var rotation = new SecretRotation(_primary, _standby, _options, NullLogger<SecretRotation>.Instance, _store, _time);
        string? value = null;

        // Act
        var result = await rotation.ApplyAsync(await rotation.PlanAsync("m2m", None), (secret, _) => { value = secret; return Task.CompletedTask; }, None);

        // Assert
        Assert.Equal(
            [(_primary.UserPoolId, primaryId, result.Sides[0].SecretId), (_standby.UserPoolId, standbyId, result.Sides[1].SecretId)],
            _store.Items.Select(r => (r.UserPoolId, r.ClientId, (string?)r.SecretId)));
        Assert.All(_store.Items, r => Assert.Equal(result.Fingerprint, r.Fingerprint));
        Assert.DoesNotContain(value!, string.Join("|", _store.Items), StringComparison.Ordinal);
    }

    [Fact]
    public async Task ClientPairs_ARecordForAnotherSecretId_LeavesTheSecretUnreadable()
    {
        // Arrange
        var primaryId = _primary.AddClient(new JsonObject { ["ClientName"] = "m2m" }, OldSecret);
        _standby.AddClient(new JsonObject { ["ClientName"] = "m2m" }, OldSecret);
        await _primary.AddClientSecretAsync(primaryId, "custom-secret-added-by-hand-000", None);
        _store.Items.Add(new RotatedSecret(_primary.UserPoolId, primaryId, "m2m", "not-this-one", "hmac:00", _time.GetUtcNow()));
        var applier = new ConfigurationApplier(_primary, _standby, null, _options, _time, NullLogger<ConfigurationApplier>.Instance, rotatedSecrets: _store);

        // Act
        var pair = Assert.Single(ClientPairs.From(await applier.CompareAsync(None)));

        // Assert
        Assert.Equal(SecretState.Unreadable, pair.Secret);
    }

    private sealed class InMemoryRotatedSecrets : IRotatedSecretStore
    {
        public List<RotatedSecret> Items { get; } = [];

        public Task PutAsync(RotatedSecret secret, CancellationToken cancellationToken)
        {
            Items.Add(secret);
            return Task.CompletedTask;
        }

        public Task<IReadOnlyList<RotatedSecret>> ListAsync(string userPoolId, CancellationToken cancellationToken) =>
            Task.FromResult<IReadOnlyList<RotatedSecret>>([.. Items.Where(i => i.UserPoolId == userPoolId)]);
    }
}
