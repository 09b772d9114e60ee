using System.Globalization;
using System.Net;
using System.Text.Json;
using Amazon.Runtime;
using IdentityReplicator.Core.Aws;
using IdentityReplicator.Core.Cognito;
using IdentityReplicator.Core.Tests.Aws;

namespace IdentityReplicator.Core.Tests.Cognito;

/// <summary>What <see cref="CognitoIdentityProviderClient"/> puts on the wire, and how it reads error replies.</summary>
public sealed class CognitoClientWireTests
{
    private const string Secret = "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY";

    [Fact]
    public async Task AdminGetUserAsync_SignedClient_PostsJson11ToRootWithTargetAndCognitoScope()
    {
        // Arrange
        var capture = new CapturingHandler(() => CapturingHandler.Json("""{"Username":"jane"}"""));
        var client = CognitoIdentityProviderClient.Create(new AwsEndpoint("eu-west-1"), new BasicAWSCredentials("AKIDEXAMPLE", Secret), transport: capture);

        // Act
        await client.AdminGetUserAsync(new AdminGetUserRequest("eu-west-1_AbC123", "jane"));

        // Assert
        var sent = Assert.Single(capture.Requests);
        Assert.Equal(HttpMethod.Post, sent.Method);
        Assert.Equal(new Uri("https://cognito-idp.eu-west-1.amazonaws.com/"), sent.Uri);
        Assert.Equal("/", sent.Uri.AbsolutePath);
        Assert.Equal("AWSCognitoIdentityProviderService.AdminGetUser", sent.Header("X-Amz-Target"));
        Assert.StartsWith("application/x-amz-json-1.1", sent.Header("Content-Type"), StringComparison.Ordinal);
        var parsed = SigV4Reference.Parse(sent.Header("Authorization"));
        Assert.Equal(("AKIDEXAMPLE", "eu-west-1", "cognito-idp"), (parsed.AccessKeyId, parsed.Region, parsed.Service));
        Assert.Contains(
            $"Credential=AKIDEXAMPLE/{sent.Header("X-Amz-Date")[..8]}/eu-west-1/cognito-idp/aws4_request",
            sent.Header("Authorization"),
            StringComparison.Ordinal);
        Assert.Contains("x-amz-target", parsed.SignedHeaders);
        Assert.Equal(SigV4Reference.Recompute(sent, Secret), sent.Header("Authorization"));
        var body = sent.Json();
        Assert.Equal("eu-west-1_AbC123", body.GetProperty("UserPoolId").GetString());
        Assert.Equal("jane", body.GetProperty("Username").GetString());
    }

    [Fact]
    public async Task Operations_EachCall_NamesItsOperationInTheTargetHeader()
    {
        // Arrange
        var capture = new CapturingHandler(() => CapturingHandler.Json("{}"));
        var client = new CognitoIdentityProviderClient(new HttpClient(capture), new AwsEndpoint("us-east-1"));
        const string pool = "us-east-1_Pool1";

        // Act
        await client.AdminCreateUserAsync(new AdminCreateUserRequest { UserPoolId = pool, Username = "u" });
        await client.AdminUpdateUserAttributesAsync(new AdminUpdateUserAttributesRequest(pool, "u", [new AttributeType("email", "u@example.com")]));
        await client.AdminDeleteUserAttributesAsync(new AdminDeleteUserAttributesRequest(pool, "u", ["custom:tier"]));
        await client.AdminDisableUserAsync(new AdminDisableUserRequest(pool, "u"));
        await client.AdminEnableUserAsync(new AdminEnableUserRequest(pool, "u"));
        await client.AdminSetUserPasswordAsync(new AdminSetUserPasswordRequest(pool, "u", "Passw0rd!", true));
        await client.AdminAddUserToGroupAsync(new AdminAddUserToGroupRequest(pool, "u", "g"));
        await client.AdminRemoveUserFromGroupAsync(new AdminRemoveUserFromGroupRequest(pool, "u", "g"));
        await client.CreateGroupAsync(new CreateGroupRequest("g", pool));
        await client.DeleteGroupAsync(new DeleteGroupRequest("g", pool));
        await client.DescribeUserPoolAsync(new DescribeUserPoolRequest(pool));
        await client.AdminDeleteUserAsync(new AdminDeleteUserRequest(pool, "u"));

        // Assert
        Assert.Equal(
            [
                "AdminCreateUser", "AdminUpdateUserAttributes", "AdminDeleteUserAttributes", "AdminDisableUser", "AdminEnableUser",
                "AdminSetUserPassword", "AdminAddUserToGroup", "AdminRemoveUserFromGroup", "CreateGroup", "DeleteGroup",
                "DescribeUserPool", "AdminDeleteUser",
            ],
            capture.Requests.Select(r => r.Header("X-Amz-Target")["AWSCognitoIdentityProviderService.".Length..]));
        Assert.All(capture.Requests, r => Assert.StartsWith("AWSCognitoIdentityProviderService.", r.Header("X-Amz-Target"), StringComparison.Ordinal));
    }

    [Fact]
    public async Task ListUsersPageAsync_OptionalMembersUnset_OmitsThemFromTheBody()
    {
        // Arrange
        var capture = new CapturingHandler(() => CapturingHandler.Json("{}"));
        var client = new CognitoIdentityProviderClient(new HttpClient(capture), new AwsEndpoint("us-east-1"));

        // Act
        await client.ListUsersPageAsync(new ListUsersRequest("us-east-1_Pool1") { Limit = 60 });

        // Assert: Cognito rejects "PaginationToken": null, so unset members must be absent.
        var body = Assert.Single(capture.Requests).Json();
        Assert.Equal(["UserPoolId", "Limit"], body.EnumerateObject().Select(p => p.Name));
        Assert.Equal(60, body.GetProperty("Limit").GetInt32());
    }

    [Fact]
    public async Task Client_ServiceUrlOverride_SendsThereInsteadOfThePublicEndpoint()
    {
        // Arrange
        var capture = new CapturingHandler(() => CapturingHandler.Json("{}"));
        var client = new CognitoIdentityProviderClient(new HttpClient(capture), new AwsEndpoint("us-east-1", new Uri("http://127.0.0.1:9229/")));

        // Act
        await client.GetGroupAsync(new GetGroupRequest("admins", "us-east-1_Pool1"));

        // Assert
        Assert.Equal(new Uri("http://127.0.0.1:9229/"), Assert.Single(capture.Requests).Uri);
    }

    [Fact]
    public async Task AdminGetUserAsync_ErrorReply_ThrowsTheTypedExceptionWithRequestId()
    {
        // Arrange
        var capture = new CapturingHandler(() => CapturingHandler.Json(
            """{"__type":"com.amazonaws.cognito.identity.idp.model#UserNotFoundException","message":"User does not exist."}""",
            HttpStatusCode.BadRequest,
            ("x-amzn-RequestId", "rid-42")));
        var client = new CognitoIdentityProviderClient(new HttpClient(capture), new AwsEndpoint("us-east-1"));

        // Act
        var exception = await Assert.ThrowsAsync<UserNotFoundException>(() => client.AdminGetUserAsync(new AdminGetUserRequest("us-east-1_Pool1", "ghost")));

        // Assert
        Assert.Equal("User does not exist.", exception.Message);
        Assert.Equal("rid-42", exception.RequestId);
        Assert.False(exception.IsRetryable);
    }

    [Fact]
    public async Task AdminCreateUserAsync_ThrottledReply_ThrowsRetryableTooManyRequests()
    {
        // Arrange
        var capture = new CapturingHandler(() => CapturingHandler.Json(
            """{"__type":"TooManyRequestsException","message":"Rate exceeded"}""",
            HttpStatusCode.BadRequest,
            ("x-amzn-ErrorType", "TooManyRequestsException:http://internal.amazon.com/coral/com.amazonaws.cognito.identity.idp.model/")));
        var client = new CognitoIdentityProviderClient(new HttpClient(capture), new AwsEndpoint("us-east-1"));

        // Act
        var exception = await Assert.ThrowsAsync<TooManyRequestsException>(() =>
            client.AdminCreateUserAsync(new AdminCreateUserRequest { UserPoolId = "us-east-1_Pool1", Username = "u" }));

        // Assert
        Assert.True(exception.IsThrottling);
        Assert.True(exception.IsRetryable);
    }

    [Fact]
    public async Task AdminGetUserAsync_GatewayErrorPage_ThrowsRetryableCognitoException()
    {
        // Arrange
        var capture = new CapturingHandler(() => new HttpResponseMessage(HttpStatusCode.BadGateway) { Content = new StringContent("<html>Bad Gateway</html>") });
        var client = new CognitoIdentityProviderClient(new HttpClient(capture), new AwsEndpoint("us-east-1"));

        // Act
        var exception = await Assert.ThrowsAsync<CognitoException>(() => client.AdminGetUserAsync(new AdminGetUserRequest("us-east-1_Pool1", "u")));

        // Assert
        Assert.Equal("ServiceUnavailable", exception.ErrorCode);
        Assert.True(exception.IsRetryable);
    }

    [Fact]
    public async Task Client_CallPolicy_WrapsEveryCallWithTheOperationName()
    {
        // Arrange
        var capture = new CapturingHandler(() => CapturingHandler.Json("{}"));
        var policy = new RecordingPolicy();
        var client = new CognitoIdentityProviderClient(new HttpClient(capture), new AwsEndpoint("us-east-1"), policy);

        // Act
        await client.AdminGetUserAsync(new AdminGetUserRequest("us-east-1_Pool1", "u"));
        await client.ListGroupsPageAsync(new ListGroupsRequest("us-east-1_Pool1"));

        // Assert
        Assert.Equal(["AdminGetUser", "ListGroups"], policy.Operations);
    }

    [Fact]
    public async Task AdminGetUserAsync_EmptyOkBody_ReturnsAnEmptyResponse()
    {
        // Arrange
        var capture = new CapturingHandler(() => CapturingHandler.Empty());
        var client = new CognitoIdentityProviderClient(new HttpClient(capture), new AwsEndpoint("us-east-1"));

        // Act
        var response = await client.AdminGetUserAsync(new AdminGetUserRequest("us-east-1_Pool1", "u"));

        // Assert
        Assert.NotNull(response);
        Assert.Null(response.Username);
        Assert.Null(response.UserAttributes);
        Assert.Null(response.Enabled);
    }

    [Fact]
    public async Task AdminDeleteUserAsync_EmptyOkBody_Completes()
    {
        // Arrange
        var capture = new CapturingHandler(() => CapturingHandler.Empty());
        var client = new CognitoIdentityProviderClient(new HttpClient(capture), new AwsEndpoint("us-east-1"));

        // Act
        var call = client.AdminDeleteUserAsync(new AdminDeleteUserRequest("us-east-1_Pool1", "u"));
        await call;

        // Assert
        Assert.True(call.IsCompletedSuccessfully);
        Assert.Single(capture.Requests);
    }

    [Fact]
    public async Task AdminGetUserAsync_RealisticReply_ReadsEveryMember()
    {
        // Arrange: a reply as Cognito sends it (timestamps in epoch seconds, in exponent notation).
        const string reply = """
            {"Enabled":true,
             "MFAOptions":[{"AttributeName":"phone_number","DeliveryMedium":"SMS"}],
             "PreferredMfaSetting":"SMS_MFA",
             "UserAttributes":[{"Name":"sub","Value":"8c1d4f2e-1111-2222-3333-444455556666"},{"Name":"email_verified","Value":"true"},{"Name":"email","Value":"jane@example.com"},{"Name":"custom:tier","Value":"gold"}],
             "UserCreateDate":1.548097749588E9,
             "UserLastModifiedDate":1548097800,
             "UserMFASettingList":["SMS_MFA"],
             "UserStatus":"CONFIRMED",
             "Username":"jane",
             "SomeMemberAddedLater":{"x":1}}
            """;
        var capture = new CapturingHandler(() => CapturingHandler.Json(reply));
        var client = new CognitoIdentityProviderClient(new HttpClient(capture), new AwsEndpoint("us-east-1"));

        // Act
        var user = await client.AdminGetUserAsync(new AdminGetUserRequest("us-east-1_Pool1", "jane"));

        // Assert
        Assert.Equal("jane", user.Username);
        Assert.True(user.Enabled);
        Assert.Equal("CONFIRMED", user.UserStatus);
        Assert.Equal("SMS_MFA", user.PreferredMfaSetting);
        Assert.Equal(["SMS_MFA"], user.UserMFASettingList!);
        Assert.Equal(new MFAOptionType("SMS", "phone_number"), Assert.Single(user.MFAOptions!));
        Assert.Equal(DateTimeOffset.FromUnixTimeMilliseconds(1_548_097_749_588), user.UserCreateDate);
        Assert.Equal(DateTimeOffset.FromUnixTimeSeconds(1_548_097_800), user.UserLastModifiedDate);
        var attributes = user.UserAttributes.ToDictionary();
        Assert.Equal("jane@example.com", attributes["email"]);
        Assert.Equal("gold", attributes["custom:tier"]);
        Assert.Equal(4, attributes.Count);

        // And back: what was read serializes to the same members and values.
        var again = JsonSerializer.Deserialize(JsonSerializer.Serialize(user, CognitoJsonContext.Default.AdminGetUserResponse), CognitoJsonContext.Default.AdminGetUserResponse)!;
        Assert.Equal((user.Username, user.Enabled, user.UserStatus, user.UserCreateDate, user.UserLastModifiedDate), (again.Username, again.Enabled, again.UserStatus, again.UserCreateDate, again.UserLastModifiedDate));
        Assert.Equal(user.UserAttributes!, again.UserAttributes!);
        Assert.Equal(user.MFAOptions!, again.MFAOptions!);
    }

    [Fact]
    public void AdminGetUserResponse_SerializeThenDeserialize_KeepsEveryMember()
    {
        // Arrange
        var original = new AdminGetUserResponse
        {
            Username = "jane",
            UserAttributes = [new AttributeType("email", "jane@example.com"), new AttributeType("custom:empty")],
            UserCreateDate = DateTimeOffset.FromUnixTimeMilliseconds(1_548_097_749_588),
            UserLastModifiedDate = DateTimeOffset.FromUnixTimeMilliseconds(1_700_000_000_001),
            Enabled = false,
            UserStatus = "FORCE_CHANGE_PASSWORD",
            MFAOptions = [new MFAOptionType("SMS", "phone_number")],
            PreferredMfaSetting = "SOFTWARE_TOKEN_MFA",
            UserMFASettingList = ["SOFTWARE_TOKEN_MFA"],
        };

        // Act
        var json = JsonSerializer.Serialize(original, CognitoJsonContext.Default.AdminGetUserResponse);
        var copy = JsonSerializer.Deserialize(json, CognitoJsonContext.Default.AdminGetUserResponse)!;

        // Assert
        Assert.Equal(original.Username, copy.Username);
        Assert.Equal(original.UserAttributes, copy.UserAttributes!);
        Assert.Equal(original.UserCreateDate, copy.UserCreateDate);
        Assert.Equal(original.UserLastModifiedDate, copy.UserLastModifiedDate);
        Assert.Equal(original.Enabled, copy.Enabled);
        Assert.Equal(original.UserStatus, copy.UserStatus);
        Assert.Equal(original.MFAOptions, copy.MFAOptions!);
        Assert.Equal(original.PreferredMfaSetting, copy.PreferredMfaSetting);
        Assert.Equal(original.UserMFASettingList, copy.UserMFASettingList!);
        Assert.DoesNotContain("null", json, StringComparison.Ordinal);
        Assert.Contains(string.Create(CultureInfo.InvariantCulture, $"\"UserCreateDate\":{1_548_097_749.588}"), json, StringComparison.Ordinal);
    }

    private sealed class RecordingPolicy : ICognitoCallPolicy
    {
        public List<string> Operations { get; } = [];

        public Task<T> ExecuteAsync<T>(string operation, Func<CancellationToken, Task<T>> call, CancellationToken cancellationToken)
        {
            Operations.Add(operation);
            return call(cancellationToken);
        }
    }
}
