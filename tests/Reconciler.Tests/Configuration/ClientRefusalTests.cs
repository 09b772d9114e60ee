using System.Collections.Immutable;
using System.Text.Json.Nodes;
using IdentityReplicator.Core.Cognito;
using IdentityReplicator.Core.Mirror;
using IdentityReplicator.Core.PoolConfiguration;
using IdentityReplicator.Reconciler.Configuration;
using Microsoft.Extensions.Logging.Testing;
using Microsoft.Extensions.Time.Testing;

namespace IdentityReplicator.Reconciler.Tests.Configuration;

/// <summary>The last apply's refusals, kept per client so <c>idrep clients</c> can show them with the reason and the fix.</summary>
public sealed class ClientRefusalTests
{
    private static readonly CancellationToken None = CancellationToken.None;
    private static readonly DateTimeOffset Now = new(2026, 12, 1, 9, 0, 0, TimeSpan.Zero);

    private readonly InMemoryConfigurationPool _source = new("eu-west-1_Source", "eu-west-1");
    private readonly InMemoryConfigurationPool _target = new("eu-central-1_Target", "eu-central-1");
    private readonly InMemoryClientRefusals _refusals = new();
    private readonly FakeTimeProvider _time = new(Now);
    private readonly ConfigurationReplicationOptions _options = new() { SecretFingerprintKey = Convert.ToBase64String(new byte[32]) };

    [Fact]
    public async Task ApplyAsync_TargetRefusesAClientWrite_KeepsItForThatClientAndTheNextCleanApplyForgetsIt()
    {
        // Arrange
        _source.AddClient(new JsonObject { ["ClientName"] = "web", ["CallbackURLs"] = new JsonArray("https://app.example.com/cb") });
        _source.ResourceServers["api"] = new JsonObject { ["Identifier"] = "api", ["Name"] = "API" };
        _target.Refuse["CreateUserPoolClient"] = CognitoErrors.Create("InvalidParameterException", "callback URL not allowed");
        _target.Refuse["CreateResourceServer"] = CognitoErrors.Create("LimitExceededException", "too many");

        // Act
        await Applier().ApplyAsync(None);
        var kept = _refusals.Items.Values.ToList();
        _target.Refuse.Clear();
        _time.Advance(TimeSpan.FromMinutes(1));
        await Applier().ApplyAsync(None);

        // Assert: only the client's refusal is kept (a resource server is no client), with reason and fix; then forgotten.
        var web = Assert.Single(kept);
        var refusal = Assert.Single(web.Refusals);
        Assert.Equal(("web", "eu-central-1_Target", Now), (web.Name, web.TargetPoolId, web.RecordedAt));
        Assert.Equal(("client web", "CreateUserPoolClient", "InvalidParameterException", "callback URL not allowed"), (refusal.Subject, refusal.Operation, refusal.Code, refusal.Reason));
        Assert.Contains("Replication:RegionalValues", refusal.Fix, StringComparison.Ordinal);
        Assert.Empty(_refusals.Items);
    }

    [Fact]
    public void From_RefusalsKept_ShowsThemOnTheirClientOnly()
    {
        // Arrange
        var source = PoolConfiguration.Assemble("eu-west-1", [], null, [(new JsonObject { ["ClientName"] = "web", ["ClientId"] = "s-web" }, ImmutableArray<ClientSecretState>.Empty), (new JsonObject { ["ClientName"] = "m2m", ["ClientId"] = "s-m2m" }, ImmutableArray<ClientSecretState>.Empty)], [], [], null);
        var comparison = new ConfigurationComparison(source, source, SecretFingerprinter.Ephemeral(), []);
        var refusal = new ClientRefusal("secret m2m", "AddUserPoolClientSecret", "LimitExceededException", "(not shown for a write that carries a secret)", "remove one");

        // Act
        var pairs = ClientPairs.From(comparison, [new ClientRefusals("m2m", "eu-central-1_Target", Now, [refusal])]).ToDictionary(p => p.Name);

        // Assert
        Assert.Equal(refusal, Assert.Single(pairs["m2m"].Refused));
        Assert.Empty(pairs["web"].Refused);
    }

    private ConfigurationApplier Applier() => new(_source, _target, null, _options, _time, new FakeLogger<ConfigurationApplier>(), _refusals);

    internal sealed class InMemoryClientRefusals : IClientRefusalStore
    {
        public Dictionary<string, ClientRefusals> Items { get; } = [];

        public Task ReplaceAsync(string targetPoolId, IReadOnlyCollection<ClientRefusals> refused, DateTimeOffset at, CancellationToken cancellationToken)
        {
            Items.Clear();
            foreach (var client in refused)
            {
                Items[client.Name] = client with { RecordedAt = at };
            }

            return Task.CompletedTask;
        }

        public Task ReplaceForAsync(string targetPoolId, IReadOnlyCollection<string> names, IReadOnlyCollection<ClientRefusals> refused, DateTimeOffset at, CancellationToken cancellationToken)
        {
            foreach (var name in names)
            {
                Items.Remove(name);
            }

            foreach (var client in refused)
            {
                Items[client.Name] = client with { RecordedAt = at };
            }

            return Task.CompletedTask;
        }

        public Task<IReadOnlyList<ClientRefusals>> ListAsync(string targetPoolId, CancellationToken cancellationToken) =>
            Task.FromResult<IReadOnlyList<ClientRefusals>>([.. Items.Values]);
    }
}
