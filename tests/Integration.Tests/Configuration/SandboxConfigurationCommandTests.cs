using System.Text.Json.Nodes;
using IdentityReplicator.Sandbox;
using IdentityReplicator.TestSupport;

namespace IdentityReplicator.Integration.Tests.Configuration;

/// <summary>
/// The sandbox as the tool sees it: its two pools are configured alike, so <c>idrep drift</c> with the sandbox's own
/// config file (configuration comparison on) finds nothing, and <c>idrep clients</c> pairs the clients by name.
/// </summary>
public sealed class SandboxConfigurationCommandTests(SandboxConfigurationCommandTests.FreshSandbox fresh) : IClassFixture<SandboxConfigurationCommandTests.FreshSandbox>
{
    private SandboxEnvironment Sandbox => fresh.Sandbox;

    [Fact]
    public async Task Drift_FreshSandbox_ReportsNoConfigurationDifferences()
    {
        var (exit, output) = await IdrepProcess.RunAsync(TimeSpan.FromSeconds(120), "drift", "--config", Sandbox.ConfigFile, "--format", "json");

        Assert.True(exit == 0, $"exit {exit}: {output}");
        var report = JsonNode.Parse(output[output.IndexOf('{', StringComparison.Ordinal)..])!;
        Assert.Equal(0, (int)report["summary"]!["configDifferences"]!);
        Assert.NotNull(report["configuration"]);
        Assert.Empty(report["configuration"]!["findings"]!.AsArray().Where(f => (bool)f!["isDrift"]!).Select(f => f!.ToJsonString()));
    }

    [Fact]
    public async Task Clients_FreshSandbox_PairsEveryClientByNameWithTheConfidentialClientsSecretTheSame()
    {
        var (exit, output) = await IdrepProcess.RunAsync(TimeSpan.FromSeconds(120), "clients", "--config", Sandbox.ConfigFile, "--json");

        Assert.True(exit == 0, $"exit {exit}: {output}");
        var clients = JsonNode.Parse(output[output.IndexOf('{', StringComparison.Ordinal)..])!["clients"]!.AsArray().ToDictionary(c => (string)c!["name"]!);
        Assert.Equal(["idrep-sandbox-app", "idrep-sandbox-m2m"], clients.Keys.Order(StringComparer.Ordinal));
        Assert.Equal((Sandbox.Primary.AppClientId, Sandbox.Standby.AppClientId, "none"), ((string?)clients["idrep-sandbox-app"]!["sourceClientId"], (string?)clients["idrep-sandbox-app"]!["targetClientId"], (string?)clients["idrep-sandbox-app"]!["secret"]));
        Assert.Equal("same", (string?)clients["idrep-sandbox-m2m"]!["secret"]);
    }

    /// <summary>A sandbox of this class's own: the shared one's pools are changed by other tests.</summary>
    public sealed class FreshSandbox : IAsyncLifetime
    {
        public SandboxEnvironment Sandbox { get; private set; } = null!;

        public async Task InitializeAsync() => Sandbox = await TestSandbox.StartAsync();

        public async Task DisposeAsync() => await Sandbox.DisposeAsync();
    }
}
