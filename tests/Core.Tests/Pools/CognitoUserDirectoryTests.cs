using System.Net;
using IdentityReplicator.Core.Aws;
using IdentityReplicator.Core.Cognito;
using IdentityReplicator.Core.Pools;
using IdentityReplicator.Core.Tests.Aws;

namespace IdentityReplicator.Core.Tests.Pools;

/// <summary><see cref="CognitoUserDirectory"/> over a scripted Cognito: what it asks, and how it reads the answers.</summary>
public sealed class CognitoUserDirectoryTests
{
    private const string Pool = "us-west-2_Standby1";
    private static readonly CancellationToken None = CancellationToken.None;

    [Fact]
    public async Task FindUserAsync_UserExists_ReturnsItWithSubSeparatedFromTheAttributes()
    {
        // Arrange
        var (directory, capture) = Directory(_ => Reply("""
            {"Username":"jane","Enabled":false,"UserStatus":"FORCE_CHANGE_PASSWORD",
             "UserAttributes":[{"Name":"sub","Value":"s-1"},{"Name":"email","Value":"jane@example.com"}]}
            """));

        // Act
        var user = await directory.FindUserAsync("jane@example.com", None);

        // Assert
        Assert.NotNull(user);
        Assert.Equal(("jane", "s-1", false, "FORCE_CHANGE_PASSWORD"), (user.Username, user.Sub, user.Enabled, user.Status));
        Assert.Equal(new Dictionary<string, string> { ["email"] = "jane@example.com" }, user.Attributes);
        var sent = Assert.Single(capture.Requests).Json();
        Assert.Equal((Pool, "jane@example.com"), (sent.GetProperty("UserPoolId").GetString(), sent.GetProperty("Username").GetString()));
    }

    [Fact]
    public async Task FindUserAsync_UserNotFound_Null()
    {
        // Arrange
        var (directory, _) = Directory(_ => Error("UserNotFoundException"));

        // Act / Assert
        Assert.Null(await directory.FindUserAsync("ghost", None));
    }

    [Fact]
    public async Task FindUserAsync_OtherError_Propagates()
    {
        // Arrange
        var (directory, _) = Directory(_ => Error("NotAuthorizedException"));

        // Act / Assert
        await Assert.ThrowsAsync<NotAuthorizedException>(() => directory.FindUserAsync("jane", None));
    }

    [Fact]
    public async Task CreateUserAsync_Attributes_SuppressesMessagesAndSendsTheTemporaryPassword()
    {
        // Arrange
        var (directory, capture) = Directory(_ => Reply("""{"User":{"Username":"jane","Enabled":true,"UserStatus":"FORCE_CHANGE_PASSWORD","Attributes":[{"Name":"sub","Value":"new-sub"}]}}"""));

        // Act
        var created = await directory.CreateUserAsync("jane", new Dictionary<string, string> { ["email"] = "jane@example.com" }, "Temp#Passw0rd", None);

        // Assert
        Assert.Equal(("jane", "new-sub"), (created.Username, created.Sub));
        var sent = Assert.Single(capture.Requests);
        Assert.Equal("AWSCognitoIdentityProviderService.AdminCreateUser", sent.Header("X-Amz-Target"));
        var body = sent.Json();
        Assert.Equal("SUPPRESS", body.GetProperty("MessageAction").GetString());
        Assert.Equal("Temp#Passw0rd", body.GetProperty("TemporaryPassword").GetString());
        var attribute = Assert.Single(body.GetProperty("UserAttributes").EnumerateArray().ToList());
        Assert.Equal(("email", "jane@example.com"), (attribute.GetProperty("Name").GetString(), attribute.GetProperty("Value").GetString()));
    }

    [Theory]
    [InlineData(true, "AdminEnableUser")]
    [InlineData(false, "AdminDisableUser")]
    public async Task SetEnabledAsync_Flag_CallsTheMatchingOperation(bool enabled, string operation)
    {
        // Arrange
        var (directory, capture) = Directory(_ => Reply("{}"));

        // Act
        await directory.SetEnabledAsync("jane", enabled, None);

        // Assert
        Assert.Equal("AWSCognitoIdentityProviderService." + operation, Assert.Single(capture.Requests).Header("X-Amz-Target"));
    }

    [Fact]
    public async Task SetPermanentPasswordAsync_Password_IsSetAsPermanent()
    {
        // Arrange
        var (directory, capture) = Directory(_ => Reply("{}"));

        // Act
        await directory.SetPermanentPasswordAsync("jane", "Perm#Passw0rd", None);

        // Assert
        Assert.True(Assert.Single(capture.Requests).Json().GetProperty("Permanent").GetBoolean());
    }

    [Fact]
    public async Task DeleteUserAsync_AlreadyGone_Succeeds()
    {
        // Arrange
        var (directory, capture) = Directory(_ => Error("UserNotFoundException"));

        // Act
        var failure = await Record.ExceptionAsync(() => directory.DeleteUserAsync("ghost", None));

        // Assert
        Assert.Null(failure);
        Assert.Single(capture.Requests);
    }

    [Fact]
    public async Task DeleteGroupAsync_AlreadyGone_Succeeds()
    {
        // Arrange
        var (directory, _) = Directory(_ => Error("ResourceNotFoundException"));

        // Act / Assert
        Assert.Null(await Record.ExceptionAsync(() => directory.DeleteGroupAsync("gone", None)));
    }

    [Fact]
    public async Task GetGroupAsync_ExistingAndMissing_GroupOrNull()
    {
        // Arrange
        var (directory, _) = Directory(request => request.Json().GetProperty("GroupName").GetString() == "admins"
            ? Reply("""{"Group":{"GroupName":"admins","Description":"Admins","Precedence":2,"RoleArn":"arn:aws:iam::123456789012:role/a"}}""")
            : Error("ResourceNotFoundException"));

        // Act
        var admins = await directory.GetGroupAsync("admins", None);
        var missing = await directory.GetGroupAsync("nobody", None);

        // Assert
        Assert.Equal(new DirectoryGroup("admins", "Admins", 2, "arn:aws:iam::123456789012:role/a"), admins);
        Assert.Null(missing);
    }

    [Fact]
    public async Task DescribeAsync_Pool_MapsSchemaSignInAttributesCaseSensitivityAndPasswordLength()
    {
        // Arrange
        var (directory, _) = Directory(_ => Reply("""
            {"UserPool":{"Id":"us-west-2_Standby1",
              "UsernameAttributes":["email"],
              "UsernameConfiguration":{"CaseSensitive":false},
              "Policies":{"PasswordPolicy":{"MinimumLength":12}},
              "SchemaAttributes":[
                {"Name":"email","AttributeDataType":"String","Mutable":true,"Required":true},
                {"Name":"custom:tier","AttributeDataType":"String","DeveloperOnlyAttribute":false},
                {"Name":"custom:tier","AttributeDataType":"Number"},
                {"Name":"custom:level"},
                {"AttributeDataType":"String"}]}}
            """));

        // Act
        var pool = await directory.DescribeAsync(None);

        // Assert
        Assert.Equal(Pool, pool.PoolId);
        Assert.Equal(["email"], pool.UsernameAttributes);
        Assert.True(pool.SignsInByAlias);
        Assert.False(pool.CaseSensitive);
        Assert.Equal(12, pool.MinimumPasswordLength);
        Assert.Equal(["custom:level", "custom:tier", "email"], pool.Schema.Keys.Order(StringComparer.Ordinal));
        Assert.Equal(new PoolSchemaAttribute("email", "String", true, true, false), pool.Schema["email"]);
        Assert.Equal("String", pool.Schema["custom:tier"].DataType);
        Assert.Equal(new PoolSchemaAttribute("custom:level", "String", true, false, false), pool.Schema["custom:level"]);
    }

    [Fact]
    public async Task DescribeAsync_PoolWithoutUsernameConfiguration_ReportsCaseSensitive()
    {
        // Arrange: pools created without UsernameConfiguration (all pools before 2020, and API-created pools that
        // omit it) are case sensitive; the API reference gives CaseSensitive = true as "the default value".
        var (directory, _) = Directory(_ => Reply("""{"UserPool":{"Id":"us-west-2_Standby1","SchemaAttributes":[]}}"""));

        // Act
        var pool = await directory.DescribeAsync(None);

        // Assert
        Assert.True(pool.CaseSensitive);
        Assert.Equal(8, pool.MinimumPasswordLength);
        Assert.False(pool.SignsInByAlias);
    }

    [Fact]
    public async Task ListUsersAsync_TwoPages_AsksForFullPagesAndSkipsNamelessEntries()
    {
        // Arrange
        var (directory, capture) = Directory(request => Reply(request.Json().TryGetProperty("PaginationToken", out _)
            ? """{"Users":[{"Username":"c","Attributes":[{"Name":"sub","Value":"s-c"}]}]}"""
            : """{"Users":[{"Username":"a"},{"Attributes":[]},{"Username":"b","Enabled":false}],"PaginationToken":"p2"}"""));

        // Act
        var users = new List<DirectoryUser>();
        await foreach (var user in directory.ListUsersAsync(None))
        {
            users.Add(user);
        }

        // Assert
        Assert.Equal(["a", "b", "c"], users.Select(u => u.Username));
        Assert.False(users[1].Enabled);
        Assert.Equal("s-c", users[2].Sub);
        Assert.All(capture.Requests, r => Assert.Equal(60, r.Json().GetProperty("Limit").GetInt32()));
    }

    [Fact]
    public async Task ListGroupsForUserAsync_TwoPages_ReturnsEveryGroupName()
    {
        // Arrange
        var (directory, _) = Directory(request => Reply(request.Json().TryGetProperty("NextToken", out _)
            ? """{"Groups":[{"GroupName":"staff"}]}"""
            : """{"Groups":[{"GroupName":"admins"}],"NextToken":"n"}"""));

        // Act
        var groups = await directory.ListGroupsForUserAsync("jane", None);

        // Assert
        Assert.Equal(["admins", "staff"], groups);
    }

    [Theory]
    [InlineData(new string[0], "jane", "jane")]
    [InlineData(new[] { "email" }, "8c1d4f2e-uuid", "jane@example.com")]
    [InlineData(new[] { "phone_number", "email" }, "8c1d4f2e-uuid", "+15555550100")]
    [InlineData(new[] { "phone_number" }, "8c1d4f2e-uuid", null)]
    public void CreationName_PoolSignInKind_PicksUsernameOrAlias(string[] usernameAttributes, string sourceUsername, string? expected)
    {
        // Arrange
        var pool = new PoolDescription(Pool, usernameAttributes, false, new Dictionary<string, PoolSchemaAttribute>());
        var attributes = new Dictionary<string, string> { ["email"] = "jane@example.com" };
        if (usernameAttributes.Length == 2)
        {
            attributes["phone_number"] = "+15555550100";
        }

        // Act / Assert
        Assert.Equal(expected, pool.CreationName(sourceUsername, attributes));
    }

    private static (CognitoUserDirectory Directory, CapturingHandler Capture) Directory(Func<CapturedRequest, HttpResponseMessage> respond)
    {
        var capture = new CapturingHandler((request, _) => respond(request));
        var client = new CognitoIdentityProviderClient(new HttpClient(capture), new AwsEndpoint("us-west-2"));
        return (new CognitoUserDirectory(client, Pool), capture);
    }

    private static HttpResponseMessage Reply(string json) => CapturingHandler.Json(json);

    private static HttpResponseMessage Error(string code) =>
        CapturingHandler.Json($$"""{"__type":"{{code}}","message":"{{code}} from the test"}""", HttpStatusCode.BadRequest);
}
