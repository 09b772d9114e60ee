using System.Text.Json;
using IdentityReplicator.Cdk.Config;

namespace IdentityReplicator.Cdk.Tests;

/// <summary>cdk/examples/prod.json is a complete context for a real account: it reads without a problem or a warning.</summary>
public sealed class ExampleTests
{
    [Fact]
    public void FromContext_ProdExample_IsCompleteForARealAccount()
    {
        // Arrange: the example's context, with the Replicator's bootstrap where this test put one.
        var asset = Directory.CreateTempSubdirectory("idrep-cdk-asset-").FullName;
        File.WriteAllText(Path.Combine(asset, "bootstrap"), string.Empty);
        using var example = JsonDocument.Parse(File.ReadAllText(Path.Combine(Synthesis.SourceRoot, "cdk", "examples", "prod.json")));
        var context = example.RootElement.GetProperty("context").EnumerateObject().ToDictionary(p => p.Name, p => p.Value.GetString(), StringComparer.Ordinal);
        context["replicatorAsset"] = asset;

        // Act
        var config = DeploymentConfig.FromContext(k => context.GetValueOrDefault(k), Synthesis.SourceRoot);

        // Assert
        Assert.NotEqual(DeploymentConfig.PlaceholderAccount, config.Account);
        Assert.Empty(config.Warnings);
        Assert.Equal(["us-west-2a", "us-west-2b"], config.ZonesFor("us-west-2"));
        Assert.NotNull(config.AlarmEmail);
        Assert.NotNull(config.DotnetImages);
    }
}
