using IdentityReplicator.Cdk.Config;

namespace IdentityReplicator.Cdk.Tests;

public sealed class ConfigTests
{
    private static readonly string Asset = Directory.CreateTempSubdirectory("idrep-cdk-asset-").FullName;

    static ConfigTests() => File.WriteAllText(Path.Combine(Asset, "bootstrap"), string.Empty);

    [Fact]
    public void FromContext_WithEveryMistake_NamesEachContextKeyAndTheFix()
    {
        var e = Assert.Throws<InvalidOperationException>(() => Read(new()
        {
            ["account"] = "12345",
            ["primaryRegion"] = "us-east-1",
            ["standbyRegion"] = "us-east-1",
            ["feedBuckets"] = "0",
            ["logRetentionDays"] = "45",
            ["functionQuotaShare"] = "2",
            ["failoverParameterPrefix"] = "myapp",
            ["failoverParameterKeyArns"] = "alias/app-config",
            ["failoverPrimaryDatabase"] = "east",
            ["replicatorAsset"] = Path.Combine(Asset, "missing"),
        }));

        foreach (var expected in new[]
        {
            "Context 'account' is '12345'; it must be a 12-digit AWS account id.",
            "'primaryRegion' and 'standbyRegion' are the same Region",
            "Context 'feedBuckets' is '0'; it must be a whole number from 1 to 64.",
            "Context 'logRetentionDays' is 45; CloudWatch Logs keeps logs for one of 1, 3, 5, 7, 14, 30",
            "Context 'functionQuotaShare' is '2'; it must be a number above 0 and at most 1",
            "Context 'failoverParameterPrefix' is 'myapp'; it must be a parameter path that starts and ends with '/'",
            "Context 'failoverParameterKeyArns' holds 'alias/app-config'; give KMS key ARNs",
            "Set both 'failoverPrimaryDatabase' and 'failoverStandbyDatabase'",
            "Name the existing pools with contexts 'primaryUserPoolId' and 'standbyUserPoolId', or set 'createPools' to true",
            "No Replicator bootstrap in",
            "dotnet publish src/Replicator -c Release -r linux-x64 -p:PublishAot=true -o artifacts/replicator",
        })
        {
            Assert.Contains(expected, e.Message, StringComparison.Ordinal);
        }
    }

    [Fact]
    public void FromContext_WithoutAnAccount_UsesTheCredentialsAccount_ElseAPlaceholder()
    {
        var context = new Dictionary<string, string> { ["primaryRegion"] = "us-east-1", ["standbyRegion"] = "us-west-2", ["createPools"] = "true", ["replicatorAsset"] = Asset, ["alarmEmail"] = "oncall@example.com", ["dotnetImages"] = "registry.invalid/dotnet" };
        Assert.Equal("210987654321", DeploymentConfig.FromContext(k => context.GetValueOrDefault(k), Synthesis.SourceRoot, "210987654321").Account);
        Assert.Equal(DeploymentConfig.PlaceholderAccount, Read(context).Account);
    }

    [Fact]
    public void FromContext_Defaults_AreTheDocumentedOnes()
    {
        var config = Read(new() { ["primaryRegion"] = "eu-west-1", ["standbyRegion"] = "eu-central-1", ["createPools"] = "true", ["replicatorAsset"] = Asset });
        Assert.Equal("identity-replicator-mirror", config.TableName);
        Assert.Equal(8, config.FeedBuckets);
        Assert.Equal(50, config.ReservedConcurrency);
        Assert.Equal(0.2, config.FunctionQuotaShare);
        Assert.Equal(30, config.LogRetentionDays);
        Assert.Equal(90, config.ReportRetentionDays);
        Assert.Equal("cron(0 3 * * ? *)", config.DriftSchedule);
        Assert.Equal("default", config.EventBusName);
    }

    [Fact]
    public void FromContext_RealAccountWithoutAlarmEmailOrImages_FailsNamingEach()
    {
        var context = new Dictionary<string, string> { ["account"] = Synthesis.Account, ["primaryRegion"] = "us-east-1", ["standbyRegion"] = "us-west-2", ["createPools"] = "true", ["replicatorAsset"] = Asset };

        var e = Assert.Throws<InvalidOperationException>(() => Read(context));

        Assert.Contains("Context 'alarmEmail' is not set", e.Message, StringComparison.Ordinal);
        Assert.Contains("Neither context 'dotnetImages'", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void FromContext_PlaceholderAccountWithoutAlarmEmailOrImages_SynthesizesWithAWarningNamingEach()
    {
        var config = Read(new() { ["primaryRegion"] = "us-east-1", ["standbyRegion"] = "us-west-2", ["createPools"] = "true", ["replicatorAsset"] = Asset });

        Assert.Equal(DeploymentConfig.PlaceholderAccount, config.Account);
        Assert.Contains(config.Warnings, w => w.StartsWith("Context 'alarmEmail' is not set", StringComparison.Ordinal));
        Assert.Contains(config.Warnings, w => w.StartsWith("Neither context 'dotnetImages'", StringComparison.Ordinal));
    }

    [Fact]
    public void FromContext_ZonesOfAnotherRegion_AreNamed()
    {
        var context = new Dictionary<string, string> { ["primaryRegion"] = "us-east-1", ["standbyRegion"] = "us-west-2", ["createPools"] = "true", ["replicatorAsset"] = Asset, ["standbyZones"] = "us-east-1a,us-west-2b" };

        var e = Assert.Throws<InvalidOperationException>(() => Read(context));

        Assert.Contains("Context 'standbyZones' holds 'us-east-1a'; it must list availability zones of us-west-2", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void FromContext_NativeModeMistakes_NamesEachContextKeyAndTheFix()
    {
        var context = new Dictionary<string, string>
        {
            ["primaryRegion"] = "us-east-1", ["standbyRegion"] = "us-west-2", ["createPools"] = "true", ["replicatorAsset"] = Asset,
            ["replicationMode"] = "native", ["nativeLagAlarmMs"] = "50",
        };

        var e = Assert.Throws<InvalidOperationException>(() => Read(context));
        var mode = Assert.Throws<InvalidOperationException>(() => Read(new(context) { ["replicationMode"] = "cognito" }));

        Assert.Contains("Context 'nativeLagAlarmMs' is '50'; it must be a whole number from 1000 to 3600000.", e.Message, StringComparison.Ordinal);
        Assert.Contains("Context 'replicationMode' is native: Cognito's replica has the primary's pool id in the standby's Region;", e.Message, StringComparison.Ordinal);
        Assert.Contains("Context 'replicationMode' is 'cognito'; use 'replicator' (the default) or 'native'", mode.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void FromContext_NativeModeWithTheReplicasPoolId_ReadsItAndTheDefaultThreshold()
    {
        var config = Read(new()
        {
            ["primaryRegion"] = "us-east-1", ["standbyRegion"] = "us-west-2", ["replicatorAsset"] = Asset,
            ["primaryUserPoolId"] = "us-east-1_Native1", ["standbyUserPoolId"] = "us-east-1_Native1", ["replicationMode"] = "native",
        });

        Assert.Equal((true, DeploymentConfig.DefaultNativeLagAlarmMs), (config.NativeReplication, config.NativeLagAlarmMs));
        Assert.False(Read(new() { ["primaryRegion"] = "us-east-1", ["standbyRegion"] = "us-west-2", ["createPools"] = "true", ["replicatorAsset"] = Asset }).NativeReplication);
    }

    private static DeploymentConfig Read(Dictionary<string, string> context) =>
        DeploymentConfig.FromContext(k => context.GetValueOrDefault(k), Synthesis.SourceRoot);
}
