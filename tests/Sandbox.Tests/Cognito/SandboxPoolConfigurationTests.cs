using IdentityReplicator.Core.PoolConfiguration;
using IdentityReplicator.TestSupport;
using Microsoft.Extensions.Configuration;

namespace IdentityReplicator.Sandbox.Tests.Cognito;

/// <summary>
/// A fresh sandbox is a pair configured alike, as a real deployment is: the same app clients (by name, with their own
/// ids), the same resource servers, password policy and secrets, so configuration drift is on and finds nothing.
/// </summary>
public sealed class SandboxPoolConfigurationTests(SandboxPoolConfigurationTests.FreshSandbox fresh) : IClassFixture<SandboxPoolConfigurationTests.FreshSandbox>
{
    private readonly SandboxEnvironment _sandbox = fresh.Sandbox;

    [Fact]
    public async Task StartAsync_FreshSandbox_PoolsCompareWithoutConfigurationDrift()
    {
        var (primary, standby) = await ReadBothAsync();

        var findings = ConfigurationComparer.Compare(primary, standby, new RegionalValueMap(primary.Region, standby.Region));

        Assert.Empty(findings.Where(f => f.IsDrift).Select(f => f.ToString()));
        Assert.Equal(primary.Clients.Keys, standby.Clients.Keys);
    }

    [Fact]
    public async Task StartAsync_FreshSandbox_PrimaryHasAConfidentialClientAResourceServerWithScopesAndAPasswordPolicy()
    {
        var (primary, standby) = await ReadBothAsync();

        var confidential = Assert.Single(primary.Clients.Values, c => c.IsConfidential);
        Assert.All(confidential.Secrets, s => Assert.True(s.IsReadable));
        Assert.Equal(confidential.Secrets.Select(s => s.Fingerprint), standby.Clients[confidential.Name].Secrets.Select(s => s.Fingerprint));
        var server = Assert.Single(primary.ResourceServers.Values);
        Assert.True(server["Scopes"]!.AsArray().Count >= 2, server.ToJsonString());
        Assert.Equal(12, (int)primary.Settings["Policies"]!["PasswordPolicy"]!["MinimumLength"]!);
    }

    [Fact]
    public async Task StartAsync_FreshSandbox_AppClientsHaveOneNameAndTheirOwnIds()
    {
        var (primary, standby) = await ReadBothAsync();

        var primaryApp = Assert.Single(primary.Clients.Values, c => c.ClientId == _sandbox.Primary.AppClientId);
        var standbyApp = Assert.Single(standby.Clients.Values, c => c.ClientId == _sandbox.Standby.AppClientId);
        Assert.Equal(primaryApp.Name, standbyApp.Name);
        Assert.NotEqual(primaryApp.ClientId, standbyApp.ClientId);
    }

    [Fact]
    public void ConfigFile_FreshSandbox_ComparesConfiguration()
    {
        var configuration = _sandbox.Configuration();

        Assert.True(configuration.GetValue<bool>("Drift:CompareConfiguration"));
    }

    private async Task<(PoolConfiguration Primary, PoolConfiguration Standby)> ReadBothAsync()
    {
        var fingerprints = SecretFingerprinter.Ephemeral();
        var primary = await new CognitoPoolConfigurationDirectory(_sandbox.Client(_sandbox.Primary), _sandbox.Primary.UserPoolId, _sandbox.Primary.Region)
            .ReadAsync(fingerprints, CancellationToken.None);
        var standby = await new CognitoPoolConfigurationDirectory(_sandbox.Client(_sandbox.Standby), _sandbox.Standby.UserPoolId, _sandbox.Standby.Region)
            .ReadAsync(fingerprints, CancellationToken.None);
        return (primary, standby);
    }

    /// <summary>A sandbox of this class's own, which its tests only read (the shared one is changed by other tests).</summary>
    public sealed class FreshSandbox : IAsyncLifetime
    {
        public SandboxEnvironment Sandbox { get; private set; } = null!;

        public async Task InitializeAsync() => Sandbox = await TestSandbox.StartAsync();

        public async Task DisposeAsync() => await Sandbox.DisposeAsync();
    }
}
