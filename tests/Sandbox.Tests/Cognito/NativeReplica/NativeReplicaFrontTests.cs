using System.Text.Json.Nodes;
using IdentityReplicator.Core.Cognito;
using IdentityReplicator.Sandbox.Cognito.NativeReplica;
using IdentityReplicator.Sandbox.Tests.Cognito.Configuration;
using IdentityReplicator.TestSupport;

namespace IdentityReplicator.Sandbox.Tests.Cognito.NativeReplica;

/// <summary>
/// The four replica operations served by the sandbox's fronts, and the simulated native replica: the same pool id at
/// the standby Region's endpoint, refusing what a secondary refuses and serving the primary's users after the lag.
/// Each test replicates a pool of its own (the shared pools stay unreplicated).
/// </summary>
[Collection(SandboxCollection.Name)]
public sealed class NativeReplicaFrontTests(SandboxFixture fixture)
{
    private SandboxEnvironment Sandbox => fixture.Sandbox;

    [Fact]
    public async Task CreateUserPoolReplica_EssentialsPool_CreatesASecondaryInTheStandbyRegionThatListsAfterThePrimary()
    {
        // Arrange
        var pool = await Sandbox.NewPoolAsync(Sandbox.Primary);

        // Act
        var created = await Sandbox.CallAsync(pool, "CreateUserPoolReplica", Replica(pool));
        var listed = await Sandbox.CallAsync(pool, "ListUserPoolReplicas", new JsonObject { ["UserPoolId"] = pool.UserPoolId });

        // Assert
        var replica = created["UserPoolReplica"]!;
        Assert.Equal((Sandbox.Standby.Region, ReplicaStatus.Creating, ReplicaRole.Secondary), ((string?)replica["RegionName"], (string?)replica["Status"], (string?)replica["Role"]));
        Assert.EndsWith(":userpool/" + pool.UserPoolId, (string?)replica["UserPoolArn"], StringComparison.Ordinal);
        Assert.Equal(
            [(Sandbox.Primary.Region, ReplicaRole.Primary), (Sandbox.Standby.Region, ReplicaRole.Secondary)],
            listed["UserPoolReplicas"]!.AsArray().Select(r => ((string)r!["RegionName"]!, (string)r["Role"]!)));
    }

    [Fact]
    public async Task CreateUserPoolReplica_LitePool_IsRefusedWithFeatureUnavailableInTier()
    {
        var pool = await Sandbox.NewPoolAsync(Sandbox.Primary);
        await Sandbox.CallAsync(pool, "UpdateUserPool", new JsonObject { ["UserPoolId"] = pool.UserPoolId, ["UserPoolTier"] = "LITE" });

        var error = await Sandbox.FailAsync(pool, "CreateUserPoolReplica", Replica(pool));

        Assert.Equal("FeatureUnavailableInTierException", error.Type);
    }

    [Fact]
    public async Task CreateUserPoolReplica_PoolOnThePreviousInfrastructure_IsRefusedWithOperationNotEnabled()
    {
        var pool = await Sandbox.NewPoolAsync(Sandbox.Primary);
        await Sandbox.CallAsync(pool, "UpdateUserPool", new JsonObject
        {
            ["UserPoolId"] = pool.UserPoolId, ["UserPoolTags"] = new JsonObject { [ReplicaOperations.IneligibleTag] = "true" },
        });

        var error = await Sandbox.FailAsync(pool, "CreateUserPoolReplica", Replica(pool));

        Assert.Equal("OperationNotEnabledException", error.Type);
    }

    [Fact]
    public async Task CreateUserPoolReplica_SecondReplica_IsRefusedWithLimitExceeded()
    {
        var pool = await Sandbox.NewPoolAsync(Sandbox.Primary);
        await Sandbox.CallAsync(pool, "CreateUserPoolReplica", Replica(pool));

        var error = await Sandbox.FailAsync(pool, "CreateUserPoolReplica", Replica(pool));

        Assert.Equal("LimitExceededException", error.Type);
    }

    [Fact]
    public async Task DeleteUserPoolReplica_ActiveThenInactive_IsRefusedThenDeletes()
    {
        // Arrange
        var pool = await ActiveReplicaAsync();

        // Act
        var refused = await Sandbox.FailAsync(pool, "DeleteUserPoolReplica", Replica(pool));
        await Sandbox.CallAsync(pool, "UpdateUserPoolReplica", Status(pool, ReplicaStatus.Inactive));
        var deleted = await Sandbox.CallAsync(pool, "DeleteUserPoolReplica", Replica(pool));
        var listed = await Sandbox.CallAsync(pool, "ListUserPoolReplicas", new JsonObject { ["UserPoolId"] = pool.UserPoolId });

        // Assert
        Assert.Equal("InvalidParameterException", refused.Type);
        Assert.Equal(ReplicaStatus.Deleting, (string?)deleted["UserPoolReplica"]!["Status"]);
        Assert.Empty(listed["UserPoolReplicas"]!.AsArray());
    }

    [Theory]
    [InlineData("AdminCreateUser")]
    [InlineData("AdminUpdateUserAttributes")]
    [InlineData("AdminResetUserPassword")]
    [InlineData("AssociateSoftwareToken")]
    public async Task Secondary_OperationASecondaryRefuses_IsOperationNotEnabled(string operation)
    {
        var pool = await ActiveReplicaAsync();
        var secondary = pool with { Region = Sandbox.Standby.Region, Endpoint = Sandbox.Standby.Endpoint };

        var error = await Sandbox.FailAsync(secondary, operation, new JsonObject
        {
            ["UserPoolId"] = pool.UserPoolId, ["Username"] = "someone@example.com", ["AccessToken"] = AccessTokenOf(pool),
            ["UserAttributes"] = new JsonArray(new JsonObject { ["Name"] = "email", ["Value"] = "someone@example.com" }),
        });

        Assert.Equal("OperationNotEnabledException", error.Type);
    }

    [Fact]
    public async Task Secondary_UserCreatedInThePrimary_IsServedUnderTheSamePoolIdAfterTheLag()
    {
        // Arrange
        var pool = await ActiveReplicaAsync();
        var secondary = pool with { Region = Sandbox.Standby.Region, Endpoint = Sandbox.Standby.Endpoint };
        var email = $"native-{Guid.NewGuid():N}@example.com";
        await Sandbox.CallAsync(pool, "AdminCreateUser", new JsonObject
        {
            ["UserPoolId"] = pool.UserPoolId, ["Username"] = email, ["MessageAction"] = "SUPPRESS",
            ["UserAttributes"] = new JsonArray(new JsonObject { ["Name"] = "email", ["Value"] = email }),
        });

        // Act
        var user = await EventuallyAsync(() => Sandbox.CallAsync(secondary, "AdminGetUser", new JsonObject { ["UserPoolId"] = pool.UserPoolId, ["Username"] = email }));
        var described = await Sandbox.DescribePoolAsync(secondary);

        // Assert
        Assert.Contains(user["UserAttributes"]!.AsArray(), a => (string?)a!["Value"] == email);
        Assert.Equal(pool.UserPoolId, (string?)described["Id"]);
    }

    [Fact]
    public async Task Secondary_RegionalSettingsSetAtItsEndpoint_AreItsOwnWhileThePrimaryKeepsItsOwn()
    {
        // Arrange
        var pool = await ActiveReplicaAsync();
        var secondary = pool with { Region = Sandbox.Standby.Region, Endpoint = Sandbox.Standby.Endpoint };
        var replicaTrigger = $"arn:aws:lambda:{secondary.Region}:111122223333:function:pre-sign-up";
        var replicaLogGroup = $"arn:aws:logs:{secondary.Region}:111122223333:log-group:/aws/vendedlogs/cognito";
        var request = ConfigurationRequests.UpdateUserPool(await Sandbox.DescribePoolAsync(secondary), pool.UserPoolId);
        request["LambdaConfig"] = new JsonObject { ["PreSignUp"] = replicaTrigger };
        request["SmsConfiguration"] = new JsonObject { ["SnsCallerArn"] = "arn:aws:iam::111122223333:role/sms", ["SnsRegion"] = secondary.Region };

        // Act
        await Sandbox.CallAsync(secondary, "UpdateUserPool", request);
        await Sandbox.CallAsync(secondary, "SetLogDeliveryConfiguration", new JsonObject
        {
            ["UserPoolId"] = pool.UserPoolId,
            ["LogConfigurations"] = new JsonArray(new JsonObject
            {
                ["LogLevel"] = "ERROR", ["EventSource"] = "userNotification", ["CloudWatchLogsConfiguration"] = new JsonObject { ["LogGroupArn"] = replicaLogGroup },
            }),
        });
        var atSecondary = await Sandbox.DescribePoolAsync(secondary);
        var atPrimary = await Sandbox.DescribePoolAsync(pool);
        var logsAtSecondary = await Sandbox.CallAsync(secondary, "GetLogDeliveryConfiguration", new JsonObject { ["UserPoolId"] = pool.UserPoolId });
        var logsAtPrimary = await Sandbox.CallAsync(pool, "GetLogDeliveryConfiguration", new JsonObject { ["UserPoolId"] = pool.UserPoolId });

        // Assert
        Assert.Equal(replicaTrigger, (string?)atSecondary["LambdaConfig"]!["PreSignUp"]);
        Assert.Equal(secondary.Region, (string?)atSecondary["SmsConfiguration"]!["SnsRegion"]);
        Assert.Null(atPrimary["LambdaConfig"]?["PreSignUp"]);
        Assert.Null(atPrimary["SmsConfiguration"]);
        Assert.Equal(replicaLogGroup, (string?)logsAtSecondary["LogDeliveryConfiguration"]!["LogConfigurations"]![0]!["CloudWatchLogsConfiguration"]!["LogGroupArn"]);
        Assert.Empty(logsAtPrimary["LogDeliveryConfiguration"]!["LogConfigurations"]!.AsArray());
        Assert.Equal(secondary.Region, atSecondary["Arn"]!.GetValue<string>().Split(':')[3]);
    }

    private async Task<SandboxPool> ActiveReplicaAsync()
    {
        var pool = await Sandbox.NewPoolAsync(Sandbox.Primary);
        await Sandbox.CallAsync(pool, "CreateUserPoolReplica", Replica(pool));
        await EventuallyAsync(() => Sandbox.CallAsync(pool, "UpdateUserPoolReplica", Status(pool, ReplicaStatus.Active)));
        return pool;
    }

    /// <summary>A token shaped as Cognito's access tokens (unsigned: the front routes on its issuer only).</summary>
    private static string AccessTokenOf(SandboxPool pool)
    {
        var payload = Convert.ToBase64String(System.Text.Encoding.UTF8.GetBytes($$"""{"iss":"https://cognito-idp.{{pool.Region}}.amazonaws.com/{{pool.UserPoolId}}","token_use":"access"}"""));
        return "eyJhbGciOiJub25lIn0." + payload.TrimEnd('=').Replace('+', '-').Replace('/', '_') + ".c2ln";
    }

    private JsonObject Replica(SandboxPool pool) => new() { ["UserPoolId"] = pool.UserPoolId, ["RegionName"] = Sandbox.Standby.Region };

    private JsonObject Status(SandboxPool pool, string status) => new() { ["UserPoolId"] = pool.UserPoolId, ["RegionName"] = Sandbox.Standby.Region, ["Status"] = status };

    /// <summary>Retries a call the simulated replication lag refuses at first, until it succeeds or 15 s have passed.</summary>
    private static async Task<JsonObject> EventuallyAsync(Func<Task<JsonObject>> call)
    {
        var deadline = TimeProvider.System.GetUtcNow() + TimeSpan.FromSeconds(15);
        while (true)
        {
            try
            {
                return await call();
            }
            catch (AwsErrorReply e) when (e.Type is "UserNotFoundException" or "ResourceNotFoundException" && TimeProvider.System.GetUtcNow() < deadline)
            {
                await Task.Delay(TimeSpan.FromMilliseconds(100), TimeProvider.System);
            }
        }
    }
}
