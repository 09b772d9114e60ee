using IdentityReplicator.Core.Cognito;
using IdentityReplicator.Core.Configuration;
using IdentityReplicator.Core.Mirror;
using IdentityReplicator.TestSupport;
using Microsoft.Extensions.Configuration;

namespace IdentityReplicator.Sandbox.Tests.Cognito;

[Collection(SandboxCollection.Name)]
public sealed class SandboxEnvironmentTests(SandboxFixture fixture)
{
    private SandboxEnvironment Sandbox => fixture.Sandbox;

    [Fact]
    public async Task StartAsync_BothPools_SignInByEmailWithTheSameCustomAttributes()
    {
        foreach (var pool in new[] { Sandbox.Primary, Sandbox.Standby })
        {
            var described = await Sandbox.Client(pool).DescribeUserPoolAsync(new DescribeUserPoolRequest(pool.UserPoolId));

            Assert.Equal(["email"], described.UserPool!.UsernameAttributes);
            var names = described.UserPool.SchemaAttributes!.Select(a => a.Name).ToList();
            Assert.Contains("custom:tier", names);
            Assert.Contains("custom:plan", names);
            Assert.Equal("127.0.0.1", pool.Endpoint.Host);
        }
    }

    [Fact]
    public async Task AdminCreateUser_ThroughTheFront_FiresPreSignUpWithTheUsernameTheUserGets()
    {
        var email = $"hint-{Guid.NewGuid():N}@example.com";
        var queue = new DynamoDbCaptureHintQueue(Sandbox.Dynamo, new MirrorOptions { TableName = Sandbox.TableName });

        var created = await Sandbox.Client(Sandbox.Primary).AdminCreateUserAsync(new AdminCreateUserRequest
        {
            UserPoolId = Sandbox.Primary.UserPoolId,
            Username = email,
            UserAttributes = [new AttributeType("email", email)],
            MessageAction = "SUPPRESS",
        });

        var username = created.User!.Username!;
        Assert.True(Guid.TryParse(username, out _), "pools that sign in by email give users a UUID username");
        var hints = await queue.DueAsync(TimeProvider.System.GetUtcNow().AddMinutes(1), 1000, CancellationToken.None);
        Assert.Contains(hints, h => h.Username == username && h.SourcePoolId == Sandbox.Primary.UserPoolId);
    }

    [Fact]
    public async Task AdminUpdateUserAttributes_VerifiedFlagWithoutTheAddress_IsAcceptedLikeCognito()
    {
        var client = Sandbox.Client(Sandbox.Primary);
        var email = $"verified-{Guid.NewGuid():N}@example.com";
        var created = await client.AdminCreateUserAsync(new AdminCreateUserRequest
        {
            UserPoolId = Sandbox.Primary.UserPoolId,
            Username = email,
            UserAttributes = [new AttributeType("email", email), new AttributeType("email_verified", "true")],
            MessageAction = "SUPPRESS",
        });
        var username = created.User!.Username!;

        await client.AdminUpdateUserAttributesAsync(new AdminUpdateUserAttributesRequest(Sandbox.Primary.UserPoolId, username, [new AttributeType("email_verified", "false")]));

        var attributes = (await client.AdminGetUserAsync(new AdminGetUserRequest(Sandbox.Primary.UserPoolId, username))).UserAttributes.ToDictionary();
        Assert.Equal("false", attributes["email_verified"]);
        Assert.Equal(email, attributes["email"]);
    }

    [Fact]
    public async Task InitiateAuth_DisabledUser_IsRefusedLikeCognito()
    {
        var client = Sandbox.Client(Sandbox.Primary);
        var email = $"disabled-{Guid.NewGuid():N}@example.com";
        const string password = "Correct-Horse-9-Battery";
        await client.AdminCreateUserAsync(new AdminCreateUserRequest
        {
            UserPoolId = Sandbox.Primary.UserPoolId,
            Username = email,
            UserAttributes = [new AttributeType("email", email)],
            MessageAction = "SUPPRESS",
        });
        await client.AdminSetUserPasswordAsync(new AdminSetUserPasswordRequest(Sandbox.Primary.UserPoolId, email, password, true));
        var auth = new InitiateAuthRequest("USER_PASSWORD_AUTH", Sandbox.Primary.AppClientId)
        {
            AuthParameters = new Dictionary<string, string> { ["USERNAME"] = email, ["PASSWORD"] = password },
        };
        var enabled = await client.InitiateAuthAsync(auth);
        Assert.NotNull(enabled.AuthenticationResult?.IdToken);

        await client.AdminDisableUserAsync(new AdminDisableUserRequest(Sandbox.Primary.UserPoolId, email));
        var refused = await Assert.ThrowsAsync<NotAuthorizedException>(() => client.InitiateAuthAsync(auth));

        Assert.Contains("disabled", refused.Message, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task SignUpAndConfirm_EmulatorTriggersCallTheReplicator_SnapshotIsRecorded()
    {
        var client = Sandbox.Client(Sandbox.Primary);
        var email = $"trigger-{Guid.NewGuid():N}@example.com";

        var signUp = await client.SignUpAsync(new SignUpRequest(Sandbox.Primary.AppClientId, email, "Correct-Horse-9-Battery")
        {
            UserAttributes = [new AttributeType("email", email), new AttributeType("custom:tier", "pro")],
        });
        await client.ConfirmSignUpAsync(new ConfirmSignUpRequest(Sandbox.Primary.AppClientId, email, Sandbox.ConfirmationCode));

        var snapshot = await Sandbox.Mirror().GetUserAsync(signUp.UserSub!, CancellationToken.None);
        Assert.NotNull(snapshot);
        Assert.Equal("CONFIRMED", snapshot.Profile!.Status);
        Assert.Equal("pro", snapshot.Profile.Attributes["custom:tier"]);
    }

    [Fact]
    public void ConfigFile_DescribesThisSandbox_AndPassesValidation()
    {
        var configuration = Sandbox.Configuration();
        var replication = configuration.GetSection(ReplicationOptions.Section).Get<ReplicationOptions>()!;
        var mirror = configuration.GetSection(MirrorOptions.Section).Get<MirrorOptions>()!;

        Assert.Empty(replication.Validate());
        Assert.Empty(mirror.Validate());
        Assert.Equal(Sandbox.Primary.UserPoolId, replication.Primary.UserPoolId);
        Assert.Equal(Sandbox.Standby.UserPoolId, replication.Standby.UserPoolId);
        Assert.Equal(Sandbox.MirrorEndpoint.ToString(), mirror.Endpoints[replication.Standby.Region]);
    }

    [Fact]
    public async Task PlanFile_FitsThisSandbox_AndIsNamedInItsJsonLine()
    {
        var plan = await global::IdentityReplicator.Failover.Plans.PlanReader.LoadAsync(Sandbox.PlanFile, CancellationToken.None);
        var line = System.Text.Json.Nodes.JsonNode.Parse(Sandbox.DescribeAsJson())!;

        Assert.Equal(Sandbox.PlanFile, (string?)line["planFile"]);
        Assert.True(plan.Drill);
        Assert.Equal(Sandbox.Standby.UserPoolId, plan.Pools.Standby.UserPoolId);
        Assert.Equal(Sandbox.Failover.HostedZoneId, plan.Dns!.HostedZoneId);
        Assert.Equal(Sandbox.Failover.Route53.Url, plan.Endpoints.Route53);
        Assert.Equal(Sandbox.Primary.UserPoolId, Sandbox.Failover.Ssm.Get(Sandbox.Standby.Region, plan.Parameters[0].Name));
        Assert.Equal(Sandbox.Standby.UserPoolId, plan.Parameters[0].Values.Standby);
    }
}

public sealed class SandboxLifetimeTests
{
    [Fact]
    public async Task DisposeAsync_StopsEveryProcessAndRemovesItsTemporaryData()
    {
        var sandbox = await TestSandbox.StartAsync(new SandboxOptions { SignInByEmail = false });
        var processes = sandbox.ProcessIds;
        var data = sandbox.DataDirectory;
        var endpoints = new[] { sandbox.Failover.Route53.Url, sandbox.Failover.Rds.Url, sandbox.Failover.Ssm.Url, sandbox.Failover.ApplicationUrl };
        Assert.Equal(3, processes.Count);
        Assert.All(processes, pid => Assert.True(Processes.IsAlive(pid)));

        await sandbox.DisposeAsync();

        Assert.All(processes, pid => Assert.False(Processes.IsAlive(pid), $"process {pid} survived the sandbox"));
        Assert.False(Directory.Exists(data));
        foreach (var endpoint in endpoints)
        {
            using var client = new System.Net.Sockets.TcpClient();
            await Assert.ThrowsAsync<System.Net.Sockets.SocketException>(() => client.ConnectAsync(endpoint.Host, endpoint.Port));
        }
    }
}
