using System.Text;
using System.Text.Json.Nodes;
using IdentityReplicator.Core.Cognito;
using IdentityReplicator.Core.Pools;
using IdentityReplicator.Sandbox;
using IdentityReplicator.TestSupport;

namespace IdentityReplicator.Integration.Tests;

/// <summary>
/// Changes that fire no Cognito trigger, end to end in the sandbox: the front records them as CloudTrail events, the
/// event bus delivers them to the Replicator, the worker applies them to the standby.
/// </summary>
[Collection(SandboxCollection.Name)]
public sealed class EventCaptureEndToEndTests(SandboxFixture fixture) : IAsyncLifetime
{
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(15);
    private RunningWorker? _worker;

    private SandboxEnvironment Sandbox => fixture.Sandbox;

    private CognitoIdentityProviderClient Primary => Sandbox.Client(Sandbox.Primary);

    private CognitoUserDirectory Standby => Sandbox.UserDirectory(Sandbox.Standby);

    public async Task InitializeAsync() => _worker = await Sandbox.StartWorkerAsync();

    public async Task DisposeAsync()
    {
        if (_worker is not null)
        {
            await _worker.DisposeAsync();
        }
    }

    [Fact]
    public async Task AdminDisableUser_InThePrimary_DisablesTheStandbyUser()
    {
        var email = await CreateReplicatedUserAsync();

        await Primary.AdminDisableUserAsync(new AdminDisableUserRequest(Sandbox.Primary.UserPoolId, email));

        await Eventually.TrueAsync(async () => (await Standby.FindUserAsync(email, CancellationToken.None))?.Enabled == false, Bound, "the standby user to be disabled");
    }

    [Fact]
    public async Task AdminDeleteUser_InThePrimary_RemovesTheStandbyUser()
    {
        var email = await CreateReplicatedUserAsync();

        await Primary.AdminDeleteUserAsync(new AdminDeleteUserRequest(Sandbox.Primary.UserPoolId, email));

        await Eventually.TrueAsync(async () => await Standby.FindUserAsync(email, CancellationToken.None) is null, Bound, "the standby user to be deleted");
    }

    [Fact]
    public async Task AttributeEditAndGroupMembership_InThePrimary_ArriveInTheStandby()
    {
        var email = await CreateReplicatedUserAsync();
        var group = $"g-{Guid.NewGuid():N}"[..12];
        await Primary.CreateGroupAsync(new CreateGroupRequest(group, Sandbox.Primary.UserPoolId) { Description = "Editors", Precedence = 3 });

        await Primary.AdminUpdateUserAttributesAsync(new AdminUpdateUserAttributesRequest(Sandbox.Primary.UserPoolId, email, [new AttributeType("custom:tier", "enterprise")]));
        await Primary.AdminAddUserToGroupAsync(new AdminAddUserToGroupRequest(Sandbox.Primary.UserPoolId, email, group));

        await Eventually.TrueAsync(
            async () => (await Standby.FindUserAsync(email, CancellationToken.None))?.Attributes.GetValueOrDefault("custom:tier") == "enterprise",
            Bound,
            "the attribute edit to arrive");
        var standbyUser = (await Standby.FindUserAsync(email, CancellationToken.None))!;
        await Eventually.TrueAsync(async () => (await Standby.ListGroupsForUserAsync(standbyUser.Username, CancellationToken.None)).Contains(group), Bound, "the membership to arrive");
        var standbyGroup = await Standby.GetGroupAsync(group, CancellationToken.None);
        Assert.Equal("Editors", standbyGroup!.Description);
        Assert.Equal(3, standbyGroup.Precedence);
    }

    [Fact]
    public async Task UserChangedHint_PublishedByTheApplication_IsRecordedInTheMirror()
    {
        var email = await CreateReplicatedUserAsync();
        var user = await Primary.AdminGetUserAsync(new AdminGetUserRequest(Sandbox.Primary.UserPoolId, email));
        var sub = user.UserAttributes!.Single(a => a.Name == "sub").Value!;
        var mirror = Sandbox.Mirror();
        var before = (await mirror.GetUserAsync(user.Username!, CancellationToken.None))!.ProfileVersion;
        var publisher = Sandbox.Hints(Sandbox.Primary);

        await publisher.PublishAsync(Sandbox.Primary.UserPoolId, sub: sub);

        await Eventually.TrueAsync(
            async () => (await mirror.GetUserAsync(user.Username!, CancellationToken.None))!.ProfileVersion > before,
            Bound,
            "the hint to make the Replicator read the user again");
    }

    [Fact]
    public async Task StandbyToken_OfAReplicatedUser_CarriesThePrimarySubClaim()
    {
        var email = await CreateReplicatedUserAsync();
        var primarySub = (await Primary.AdminGetUserAsync(new AdminGetUserRequest(Sandbox.Primary.UserPoolId, email))).UserAttributes!.Single(a => a.Name == "sub").Value;
        var standby = Sandbox.Client(Sandbox.Standby);
        const string password = "Failover-Drill-42!";
        await standby.AdminSetUserPasswordAsync(new AdminSetUserPasswordRequest(Sandbox.Standby.UserPoolId, email, password, true));

        var signedIn = await standby.InitiateAuthAsync(new InitiateAuthRequest("USER_PASSWORD_AUTH", Sandbox.Standby.AppClientId)
        {
            AuthParameters = new Dictionary<string, string> { ["USERNAME"] = email, ["PASSWORD"] = password },
        });

        var claims = Payload(signedIn.AuthenticationResult!.IdToken!);
        Assert.Equal(primarySub, claims["primary_sub"]!.GetValue<string>());
        Assert.NotEqual(primarySub, claims["sub"]!.GetValue<string>());
    }

    /// <summary>Creates a confirmed user in the primary and waits until the standby has it.</summary>
    private async Task<string> CreateReplicatedUserAsync()
    {
        var email = $"e2e-{Guid.NewGuid():N}@example.com";
        await Primary.AdminCreateUserAsync(new AdminCreateUserRequest
        {
            UserPoolId = Sandbox.Primary.UserPoolId,
            Username = email,
            UserAttributes = [new AttributeType("email", email), new AttributeType("email_verified", "true"), new AttributeType("custom:tier", "free")],
            MessageAction = "SUPPRESS",
        });
        await Eventually.TrueAsync(async () => await Standby.FindUserAsync(email, CancellationToken.None) is not null, Bound, "the new user to be replicated");
        return email;
    }

    private static JsonObject Payload(string jwt)
    {
        var part = jwt.Split('.')[1].Replace('-', '+').Replace('_', '/');
        part = part.PadRight(part.Length + ((4 - (part.Length % 4)) % 4), '=');
        return JsonNode.Parse(Encoding.UTF8.GetString(Convert.FromBase64String(part)))!.AsObject();
    }
}
