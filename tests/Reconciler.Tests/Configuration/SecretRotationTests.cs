using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using IdentityReplicator.Core.Cognito;
using IdentityReplicator.Core.PoolConfiguration;
using IdentityReplicator.Reconciler.Configuration;
using Microsoft.Extensions.Logging.Testing;

namespace IdentityReplicator.Reconciler.Tests.Configuration;

/// <summary><c>idrep clients rotate-secret</c>'s decisions against in-memory pools: one new value in both, nothing deleted, a split said plainly.</summary>
public sealed partial class SecretRotationTests
{
    private const string OldSecret = "old-secret-value-of-the-m2m-client";
    private static readonly CancellationToken None = CancellationToken.None;

    private readonly InMemoryConfigurationPool _primary = new("eu-west-1_Primary", "eu-west-1");
    private readonly InMemoryConfigurationPool _standby = new("eu-central-1_Standby", "eu-central-1");
    private readonly FakeLogger<SecretRotation> _logger = new();
    private readonly ConfigurationReplicationOptions _options = new() { SecretFingerprintKey = Convert.ToBase64String(new byte[32]) };

    [Fact]
    public async Task ApplyAsync_BothPoolsAccept_BothClientsHoldTheOneNewValueTheHandoverGotFirst()
    {
        // Arrange
        var primaryId = _primary.AddClient(M2m(), OldSecret);
        var standbyId = _standby.AddClient(M2m(), OldSecret);
        var rotation = Rotation();
        var plan = await rotation.PlanAsync("m2m", None);
        string? handedOver = null;
        var writesAtHandover = -1;

        // Act
        var result = await rotation.ApplyAsync(plan, (secret, _) => { handedOver = secret; writesAtHandover = _primary.Writes.Count + _standby.Writes.Count; return Task.CompletedTask; }, None);

        // Assert
        Assert.True(result.IsComplete);
        Assert.Equal(0, writesAtHandover);
        Assert.NotNull(handedOver);
        Assert.Equal([OldSecret, handedOver], _primary.Clients[primaryId].Secrets.Select(s => s.Value));
        Assert.Equal([OldSecret, handedOver], _standby.Clients[standbyId].Secrets.Select(s => s.Value));
        Assert.Equal(_options.Fingerprinter().Of(handedOver), result.Fingerprint);
        Assert.All(result.Sides, s => Assert.NotNull(s.SecretId));
    }

    [Fact]
    public async Task ApplyAsync_StandbyRefuses_SaysEachPoolsStateAndHowToFinishOrUndoWithoutTheSecret()
    {
        // Arrange
        var primaryId = _primary.AddClient(M2m(), OldSecret);
        var standbyId = _standby.AddClient(M2m(), OldSecret);
        _standby.Refuse["AddUserPoolClientSecret"] = CognitoErrors.Create("NotAuthorizedException", "not allowed");
        var rotation = Rotation();
        var plan = await rotation.PlanAsync("m2m", None);
        string? handedOver = null;

        // Act
        var result = await rotation.ApplyAsync(plan, (secret, _) => { handedOver = secret; return Task.CompletedTask; }, None);

        // Assert
        Assert.False(result.IsComplete);
        Assert.Equal([RotationOutcome.Added, RotationOutcome.Refused], result.Sides.Select(s => s.Outcome));
        Assert.Equal(2, _primary.Clients[primaryId].Secrets.Count);
        Assert.Single(_standby.Clients[standbyId].Secrets);
        var newId = _primary.Clients[primaryId].Secrets[1].Id;
        var steps = string.Join("\n", result.NextSteps());
        Assert.Contains("the pools are split", steps, StringComparison.Ordinal);
        Assert.Contains($"to finish: add the same value (from the secret file) to the standby's client {standbyId}", steps, StringComparison.Ordinal);
        Assert.Contains($"to undo instead: DeleteUserPoolClientSecret --user-pool-id {_primary.UserPoolId} --client-id {primaryId} --client-secret-id {newId}", steps, StringComparison.Ordinal);
        Assert.Contains("NotAuthorizedException", steps, StringComparison.Ordinal);
        Assert.DoesNotContain(handedOver!, steps + result + string.Join("\n", _logger.Collector.GetSnapshot().Select(r => r.Message)), StringComparison.Ordinal);
    }

    [Fact]
    public async Task ApplyAsync_PrimaryRefuses_StandbyIsNotTriedAndNothingIsSplit()
    {
        // Arrange
        _primary.AddClient(M2m(), OldSecret);
        _standby.AddClient(M2m(), OldSecret);
        _primary.Refuse["AddUserPoolClientSecret"] = CognitoErrors.Create("InternalErrorException", "boom");
        var rotation = Rotation();

        // Act
        var result = await rotation.ApplyAsync(await rotation.PlanAsync("m2m", None), (_, _) => Task.CompletedTask, None);

        // Assert
        Assert.Equal([RotationOutcome.Refused, RotationOutcome.NotTried], result.Sides.Select(s => s.Outcome));
        Assert.Empty(_standby.Writes);
        Assert.DoesNotContain(result.NextSteps(), s => s.StartsWith("to undo", StringComparison.Ordinal));
    }

    [Fact]
    public async Task PlanAsync_StandbyClientHoldsTwoSecrets_IsBlockedNamingTheOldestToDeleteAndDeletesNothing()
    {
        // Arrange
        _primary.AddClient(M2m(), OldSecret);
        var standbyId = _standby.AddClient(M2m(), OldSecret, "second-secret-value-of-the-client");
        var oldest = _standby.Clients[standbyId].Secrets[0].Id;
        var rotation = Rotation();

        // Act
        var plan = await rotation.PlanAsync("m2m", None);

        // Assert
        Assert.False(plan.CanApply);
        var blocker = Assert.Single(plan.Blockers);
        Assert.Contains($"delete the older one, {oldest} (DeleteUserPoolClientSecret --user-pool-id {_standby.UserPoolId} --client-id {standbyId} --client-secret-id {oldest})", blocker, StringComparison.Ordinal);
        await Assert.ThrowsAsync<InvalidOperationException>(() => rotation.ApplyAsync(plan, (_, _) => Task.CompletedTask, None));
        Assert.Empty(_primary.Writes);
        Assert.Empty(_standby.Writes);
    }

    [Fact]
    public async Task PlanAsync_ClientMissingInStandbyOrPublic_IsBlockedWithTheFix()
    {
        // Arrange
        _primary.AddClient(M2m(), OldSecret);
        _primary.AddClient(new JsonObject { ["ClientName"] = "web" });
        _standby.AddClient(new JsonObject { ["ClientName"] = "web" });

        // Act
        var m2m = await Rotation().PlanAsync("m2m", None);
        var web = await Rotation().PlanAsync("web", None);

        // Assert
        Assert.Contains("'idrep drift --repair' copies it", Assert.Single(m2m.Blockers), StringComparison.Ordinal);
        Assert.Equal(2, web.Blockers.Length);
        Assert.All(web.Blockers, b => Assert.Contains("has no secret (a public client)", b, StringComparison.Ordinal));
    }

    [Fact]
    public void NewSecret_Always_MeetsCognitosCustomSecretConstraintsAndDiffers()
    {
        // Act
        var secrets = Enumerable.Range(0, 200).Select(_ => SecretRotation.NewSecret()).ToList();

        // Assert: AddUserPoolClientSecret.ClientSecret is 24 to 64 characters of [\w+].
        Assert.All(secrets, s => Assert.Matches(CognitoClientSecret(), s));
        Assert.Equal(secrets.Count, secrets.Distinct(StringComparer.Ordinal).Count());
    }

    [GeneratedRegex(@"^[\w+]{24,64}$", RegexOptions.CultureInvariant)]
    private static partial Regex CognitoClientSecret();

    private static JsonObject M2m() => new() { ["ClientName"] = "m2m", ["AllowedOAuthFlows"] = new JsonArray("client_credentials") };

    private SecretRotation Rotation() => new(_primary, _standby, _options, _logger);
}
