using System.Text.Json.Nodes;
using IdentityReplicator.Core.Cognito;
using IdentityReplicator.TestSupport;

namespace IdentityReplicator.Sandbox.Tests.Cognito;

[Collection(SandboxCollection.Name)]
public sealed class CloudTrailRecorderTests(SandboxFixture fixture)
{
    private SandboxEnvironment Sandbox => fixture.Sandbox;

    [Fact]
    public async Task AdminDisableUser_ThroughTheFront_IsRecordedRedactedAndNamedBySub()
    {
        var client = Sandbox.Client(Sandbox.Primary);
        var email = $"trail-{Guid.NewGuid():N}@example.com";
        var created = await client.AdminCreateUserAsync(new AdminCreateUserRequest
        {
            UserPoolId = Sandbox.Primary.UserPoolId,
            Username = email,
            UserAttributes = [new AttributeType("email", email)],
            MessageAction = "SUPPRESS",
        });
        var sub = created.User!.Attributes!.Single(a => a.Name == "sub").Value;

        await client.AdminDisableUserAsync(new AdminDisableUserRequest(Sandbox.Primary.UserPoolId, email));

        var record = Records("AdminDisableUser").Last(r => r["additionalEventData"]?["sub"]?.GetValue<string>() == sub);
        Assert.Equal("cognito-idp.amazonaws.com", record["eventSource"]!.GetValue<string>());
        Assert.Equal(Sandbox.Primary.UserPoolId, record["requestParameters"]!["userPoolId"]!.GetValue<string>());
        Assert.Equal("HIDDEN_DUE_TO_SECURITY_REASONS", record["requestParameters"]!["username"]!.GetValue<string>());
        Assert.Null(record["errorCode"]);
        Assert.DoesNotContain(email, record.ToJsonString(), StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task FailedCall_IsRecordedWithItsErrorCode()
    {
        var client = Sandbox.Client(Sandbox.Primary);

        await Assert.ThrowsAsync<UserNotFoundException>(() => client.AdminDeleteUserAsync(new AdminDeleteUserRequest(Sandbox.Primary.UserPoolId, $"nobody-{Guid.NewGuid():N}@example.com")));

        var record = Records("AdminDeleteUser").Last();
        Assert.Equal("UserNotFoundException", record["errorCode"]!.GetValue<string>());
    }

    [Fact]
    public async Task ReadCalls_AreNotRecorded()
    {
        var before = Sandbox.EventBus.Events.Count;

        await Sandbox.Client(Sandbox.Primary).DescribeUserPoolAsync(new DescribeUserPoolRequest(Sandbox.Primary.UserPoolId));

        Assert.DoesNotContain(Sandbox.EventBus.Events.Skip(before), e => e["detail"]?["eventName"]?.GetValue<string>() == "DescribeUserPool");
    }

    private List<JsonObject> Records(string eventName) =>
    [
        .. Sandbox.EventBus.Events
            .Where(e => e["detail-type"]?.GetValue<string>() == "AWS API Call via CloudTrail" && e["detail"]?["eventName"]?.GetValue<string>() == eventName)
            .Select(e => e["detail"]!.AsObject()),
    ];
}
