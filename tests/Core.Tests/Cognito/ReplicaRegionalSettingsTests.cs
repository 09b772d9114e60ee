using System.Text.Json.Nodes;
using CsCheck;
using IdentityReplicator.Core.Cognito;
using IdentityReplicator.Core.PoolConfiguration;

namespace IdentityReplicator.Core.Tests.Cognito;

/// <summary>
/// A native replica's Regional settings: the primary's triggers, email, SMS and log delivery mapped to the secondary
/// Region, compared with what the replica holds, and the writes (whole objects) that bring it in step.
/// </summary>
public sealed class ReplicaRegionalSettingsTests
{
    private const string PoolId = "eu-west-1_AbC123";
    private static readonly RegionalValueMap Map = new("eu-west-1", "eu-central-1");

    [Fact]
    public void Plan_ReplicaHoldsTheMappedValues_InSyncAndNothingToWrite()
    {
        var plan = ReplicaRegionalSettings.Plan(PoolId, Primary(), Mapped(), Logs("eu-west-1"), Logs("eu-central-1"), Map);

        Assert.True(plan.InSync, string.Join("; ", plan.Findings));
        Assert.Null(plan.UpdateUserPool);
        Assert.Null(plan.SetLogDelivery);
        Assert.Contains(plan.Findings, f => f.Kind == ConfigFindingKind.Mapped && f.Path == "LambdaConfig/PreSignUp");
    }

    [Fact]
    public void Plan_ReplicaHasAWrongTriggerArn_NamesTheTriggerAndWritesTheMappedArnKeepingEveryOtherSetting()
    {
        var replica = Mapped();
        replica["LambdaConfig"]!["PreSignUp"] = "arn:aws:lambda:eu-central-1:111122223333:function:someone-else";

        var plan = ReplicaRegionalSettings.Plan(PoolId, Primary(), replica, Logs("eu-west-1"), Logs("eu-central-1"), Map);

        var difference = Assert.Single(plan.Differences);
        Assert.Equal("LambdaConfig/PreSignUp", difference.Path);
        Assert.Contains("arn:aws:lambda:eu-central-1:111122223333:function:pre-sign-up", difference.Detail, StringComparison.Ordinal);
        Assert.Contains("someone-else", difference.Detail, StringComparison.Ordinal);
        var request = Assert.IsType<JsonObject>(plan.UpdateUserPool);
        Assert.Equal(PoolId, (string?)request["UserPoolId"]);
        Assert.Equal("arn:aws:lambda:eu-central-1:111122223333:function:pre-sign-up", (string?)request["LambdaConfig"]!["PreSignUp"]);
        Assert.Equal("replica's own", (string?)request["EmailVerificationSubject"]);
        Assert.Equal(12, (int?)request["Policies"]!["PasswordPolicy"]!["MinimumLength"]);
        Assert.Equal("pool", (string?)request["PoolName"]);
        Assert.Null(request["Id"]);
        Assert.Null(plan.SetLogDelivery);
    }

    [Fact]
    public void Plan_ExplicitMappingNamesAnotherFunction_ThatFunctionIsDesired()
    {
        var map = new RegionalValueMap("eu-west-1", "eu-central-1", new Dictionary<string, string>
        {
            ["arn:aws:lambda:eu-west-1:111122223333:function:pre-sign-up"] = "arn:aws:lambda:eu-central-1:444455556666:function:dr-pre-sign-up",
        });

        var plan = ReplicaRegionalSettings.Plan(PoolId, Primary(), Mapped(), Logs("eu-west-1"), Logs("eu-central-1"), map);

        Assert.Equal("LambdaConfig/PreSignUp", Assert.Single(plan.Differences).Path);
        Assert.Equal("arn:aws:lambda:eu-central-1:444455556666:function:dr-pre-sign-up", (string?)plan.UpdateUserPool!["LambdaConfig"]!["PreSignUp"]);
    }

    [Fact]
    public void Plan_ReplicaWithoutRegionalSettings_WritesTriggersEmailSmsAndLogDelivery()
    {
        var empty = new JsonObject { ["Id"] = PoolId, ["Name"] = "pool", ["LambdaConfig"] = new JsonObject(), ["EmailConfiguration"] = new JsonObject { ["EmailSendingAccount"] = "COGNITO_DEFAULT" } };

        var plan = ReplicaRegionalSettings.Plan(PoolId, Primary(), empty, Logs("eu-west-1"), new JsonObject { ["UserPoolId"] = PoolId, ["LogConfigurations"] = new JsonArray() }, Map);

        Assert.Equal(
            ["EmailConfiguration/ConfigurationSet", "EmailConfiguration/EmailSendingAccount", "EmailConfiguration/From", "EmailConfiguration/SourceArn", "LambdaConfig/PostConfirmation", "LambdaConfig/PreSignUp", "LambdaConfig/PreTokenGenerationConfig", "LogDelivery/userNotification", "SmsConfiguration"],
            plan.Differences.Select(d => d.Path).Order(StringComparer.Ordinal));
        Assert.Equal("eu-central-1", (string?)plan.UpdateUserPool!["SmsConfiguration"]!["SnsRegion"]);
        Assert.Equal("arn:aws:iam::111122223333:role/cognito-sms", (string?)plan.UpdateUserPool["SmsConfiguration"]!["SnsCallerArn"]);
        Assert.Equal("V2_0", (string?)plan.UpdateUserPool["LambdaConfig"]!["PreTokenGenerationConfig"]!["LambdaVersion"]);
        Assert.Equal("arn:aws:ses:eu-central-1:111122223333:identity/example.com", (string?)plan.UpdateUserPool["EmailConfiguration"]!["SourceArn"]);
        var logs = Assert.IsType<JsonObject>(plan.SetLogDelivery);
        Assert.Equal(PoolId, (string?)logs["UserPoolId"]);
        Assert.Equal("arn:aws:logs:eu-central-1:111122223333:log-group:/aws/vendedlogs/cognito", (string?)logs["LogConfigurations"]![0]!["CloudWatchLogsConfiguration"]!["LogGroupArn"]);
    }

    [Fact]
    public void Plan_ArnInAThirdRegion_ReportedUnmappedAndTheReplicaKeepsItsOwn()
    {
        var primary = Primary();
        primary["LambdaConfig"]!["PostConfirmation"] = "arn:aws:lambda:us-east-1:111122223333:function:elsewhere";
        var replica = Mapped();
        replica["LambdaConfig"]!["PostConfirmation"] = "arn:aws:lambda:eu-central-1:111122223333:function:local";

        var plan = ReplicaRegionalSettings.Plan(PoolId, primary, replica, Logs("eu-west-1"), Logs("eu-central-1"), Map);

        Assert.True(plan.InSync);
        Assert.Contains(plan.Findings, f => f.Kind == ConfigFindingKind.Unmapped && f.Path == "LambdaConfig/PostConfirmation" && f.Detail.Contains("Replication:RegionalValues", StringComparison.Ordinal));
    }

    [Fact]
    public void Plan_LogGroupDiffers_WritesTheWholeLogDeliveryConfiguration()
    {
        var replicaLogs = Logs("eu-central-1");
        replicaLogs["LogConfigurations"]![0]!["CloudWatchLogsConfiguration"]!["LogGroupArn"] = "arn:aws:logs:eu-central-1:111122223333:log-group:other";

        var plan = ReplicaRegionalSettings.Plan(PoolId, Primary(), Mapped(), Logs("eu-west-1"), replicaLogs, Map);

        Assert.Equal("LogDelivery/userNotification/CloudWatchLogsConfiguration/LogGroupArn", Assert.Single(plan.Differences).Path);
        Assert.NotNull(plan.SetLogDelivery);
        Assert.Null(plan.UpdateUserPool);
    }

    [Fact]
    public void Plan_Always_ReportsTheWafWebAclAsNotCompared()
    {
        var plan = ReplicaRegionalSettings.Plan(PoolId, Primary(), Mapped(), Logs("eu-west-1"), Logs("eu-central-1"), Map);

        Assert.Contains(plan.Findings, f => f.Kind == ConfigFindingKind.ReportOnly && f.Path == "WebACL" && f.Detail.Contains("GetWebACLForResource", StringComparison.Ordinal));
    }

    [Fact]
    public void Plan_ApplyingTheWritesToAnyReplica_LeavesItInSync()
    {
        // Property: whatever the replica holds (a subset of the primary's settings, some mapped, some wrong), the planned
        // writes bring it in step, and a replica in step plans no writes.
        var gen = Gen.Select(Gen.Int[0, 7], Gen.Bool, Gen.Bool, Gen.Int[0, 2]);
        gen.Sample((drop, wrong, noLogs, member) =>
        {
            var replica = Mapped();
            if (drop is > 0 and < 4)
            {
                replica.Remove(ReplicaRegionalSettings.PoolMembers[drop - 1]);
            }

            if (wrong)
            {
                replica[ReplicaRegionalSettings.PoolMembers[member]] = new JsonObject { ["PreSignUp"] = "arn:aws:lambda:eu-central-1:1:function:x" };
            }

            var replicaLogs = noLogs ? new JsonObject { ["UserPoolId"] = PoolId, ["LogConfigurations"] = new JsonArray() } : Logs("eu-central-1");
            var plan = ReplicaRegionalSettings.Plan(PoolId, Primary(), replica, Logs("eu-west-1"), replicaLogs, Map);
            var written = plan.UpdateUserPool is null ? replica : Described(plan.UpdateUserPool);
            var writtenLogs = plan.SetLogDelivery ?? replicaLogs;
            var after = ReplicaRegionalSettings.Plan(PoolId, Primary(), written, Logs("eu-west-1"), writtenLogs, Map);
            Assert.True(after.InSync, string.Join("; ", after.Differences));
            Assert.Null(after.UpdateUserPool);
            Assert.Null(after.SetLogDelivery);
        });
    }

    /// <summary>What DescribeUserPool answers after an UpdateUserPool request.</summary>
    private static JsonObject Described(JsonObject request)
    {
        var pool = (JsonObject)request.DeepClone();
        pool.Remove("UserPoolId");
        pool["Id"] = PoolId;
        pool["Name"] = pool["PoolName"]?.DeepClone();
        pool.Remove("PoolName");
        return pool;
    }

    private static JsonObject Primary() => PoolOf(
        "eu-west-1",
        "primary's own",
        new JsonObject
        {
            ["PreSignUp"] = "arn:aws:lambda:eu-west-1:111122223333:function:pre-sign-up",
            ["PostConfirmation"] = "arn:aws:lambda:eu-west-1:111122223333:function:post-confirmation",
            ["PreTokenGenerationConfig"] = new JsonObject { ["LambdaArn"] = "arn:aws:lambda:eu-west-1:111122223333:function:tokens", ["LambdaVersion"] = "V2_0" },
        });

    /// <summary>The replica as the companion leaves it: the primary's Regional values in the secondary Region, its own other settings.</summary>
    private static JsonObject Mapped() => PoolOf(
        "eu-central-1",
        "replica's own",
        new JsonObject
        {
            ["PreSignUp"] = "arn:aws:lambda:eu-central-1:111122223333:function:pre-sign-up",
            ["PostConfirmation"] = "arn:aws:lambda:eu-central-1:111122223333:function:post-confirmation",
            ["PreTokenGenerationConfig"] = new JsonObject { ["LambdaArn"] = "arn:aws:lambda:eu-central-1:111122223333:function:tokens", ["LambdaVersion"] = "V2_0" },
        });

    private static JsonObject PoolOf(string region, string subject, JsonObject lambda) => new()
    {
        ["Id"] = PoolId,
        ["Name"] = "pool",
        ["Arn"] = $"arn:aws:cognito-idp:{region}:111122223333:userpool/{PoolId}",
        ["EmailVerificationSubject"] = subject,
        ["Policies"] = new JsonObject { ["PasswordPolicy"] = new JsonObject { ["MinimumLength"] = 12 } },
        ["LambdaConfig"] = lambda,
        ["EmailConfiguration"] = new JsonObject
        {
            ["EmailSendingAccount"] = "DEVELOPER",
            ["SourceArn"] = $"arn:aws:ses:{region}:111122223333:identity/example.com",
            ["From"] = "Example <no-reply@example.com>",
            ["ConfigurationSet"] = "auth-mail",
        },
        ["SmsConfiguration"] = new JsonObject { ["SnsCallerArn"] = "arn:aws:iam::111122223333:role/cognito-sms", ["ExternalId"] = "ext-1", ["SnsRegion"] = region },
    };

    private static JsonObject Logs(string region) => new()
    {
        ["UserPoolId"] = PoolId,
        ["LogConfigurations"] = new JsonArray(new JsonObject
        {
            ["LogLevel"] = "ERROR",
            ["EventSource"] = "userNotification",
            ["CloudWatchLogsConfiguration"] = new JsonObject { ["LogGroupArn"] = $"arn:aws:logs:{region}:111122223333:log-group:/aws/vendedlogs/cognito" },
        }),
    };
}
