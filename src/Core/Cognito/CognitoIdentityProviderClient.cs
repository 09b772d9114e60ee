using System.Runtime.CompilerServices;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization.Metadata;
using Amazon.Runtime;
using IdentityReplicator.Core.Aws;

namespace IdentityReplicator.Core.Cognito;

/// <summary>
/// A thin, typed client of the Cognito user pools API over the JSON 1.1 protocol, signed with SigV4. Each method is
/// one API operation; paginated operations are also offered as <see cref="IAsyncEnumerable{T}"/>. Every call
/// goes through an <see cref="ICognitoCallPolicy"/> (rate limiting and retries, or none).
/// </summary>
public sealed partial class CognitoIdentityProviderClient
{
    public const string SigningName = "cognito-idp";
    private const string TargetPrefix = "AWSCognitoIdentityProviderService";

    private static readonly CognitoJsonContext Json = CognitoJsonContext.Default;

    private readonly AwsJsonTransport _transport;
    private readonly ICognitoCallPolicy _policy;

    public CognitoIdentityProviderClient(HttpClient http, AwsEndpoint endpoint, ICognitoCallPolicy? policy = null)
    {
        _transport = new AwsJsonTransport(http, endpoint.ResolveUri(SigningName), TargetPrefix, "1.1", CognitoException.From);
        _policy = policy ?? DirectCallPolicy.Instance;
        Endpoint = endpoint;
    }

    public AwsEndpoint Endpoint { get; }

    /// <summary>A client with its own signed HttpClient.</summary>
    public static CognitoIdentityProviderClient Create(AwsEndpoint endpoint, AWSCredentials credentials, ICognitoCallPolicy? policy = null, HttpMessageHandler? transport = null) =>
        new(SignedHttpClient.Create(credentials, endpoint.Region, SigningName, transport), endpoint, policy);

    public Task<AdminGetUserResponse> AdminGetUserAsync(AdminGetUserRequest request, CancellationToken cancellationToken = default) =>
        Call("AdminGetUser", request, Json.AdminGetUserRequest, Json.AdminGetUserResponse, cancellationToken);

    public Task<AdminCreateUserResponse> AdminCreateUserAsync(AdminCreateUserRequest request, CancellationToken cancellationToken = default) =>
        Call("AdminCreateUser", request, Json.AdminCreateUserRequest, Json.AdminCreateUserResponse, cancellationToken);

    public Task AdminUpdateUserAttributesAsync(AdminUpdateUserAttributesRequest request, CancellationToken cancellationToken = default) =>
        Call("AdminUpdateUserAttributes", request, Json.AdminUpdateUserAttributesRequest, Json.Empty, cancellationToken);

    public Task AdminDeleteUserAttributesAsync(AdminDeleteUserAttributesRequest request, CancellationToken cancellationToken = default) =>
        Call("AdminDeleteUserAttributes", request, Json.AdminDeleteUserAttributesRequest, Json.Empty, cancellationToken);

    public Task AdminDeleteUserAsync(AdminDeleteUserRequest request, CancellationToken cancellationToken = default) =>
        Call("AdminDeleteUser", request, Json.AdminDeleteUserRequest, Json.Empty, cancellationToken);

    public Task AdminEnableUserAsync(AdminEnableUserRequest request, CancellationToken cancellationToken = default) =>
        Call("AdminEnableUser", request, Json.AdminEnableUserRequest, Json.Empty, cancellationToken);

    public Task AdminDisableUserAsync(AdminDisableUserRequest request, CancellationToken cancellationToken = default) =>
        Call("AdminDisableUser", request, Json.AdminDisableUserRequest, Json.Empty, cancellationToken);

    public Task AdminSetUserPasswordAsync(AdminSetUserPasswordRequest request, CancellationToken cancellationToken = default) =>
        Call("AdminSetUserPassword", request, Json.AdminSetUserPasswordRequest, Json.Empty, cancellationToken);

    internal Task<AdminListGroupsForUserResponse> AdminListGroupsForUserPageAsync(AdminListGroupsForUserRequest request, CancellationToken cancellationToken = default) =>
        Call("AdminListGroupsForUser", request, Json.AdminListGroupsForUserRequest, Json.AdminListGroupsForUserResponse, cancellationToken);

    internal IAsyncEnumerable<GroupType> AdminListGroupsForUserAsync(AdminListGroupsForUserRequest request, CancellationToken cancellationToken = default) =>
        Paginate(
            request.NextToken,
            (token, ct) => AdminListGroupsForUserPageAsync(request with { NextToken = token }, ct),
            page => (page.Groups, page.NextToken),
            cancellationToken);

    public Task AdminAddUserToGroupAsync(AdminAddUserToGroupRequest request, CancellationToken cancellationToken = default) =>
        Call("AdminAddUserToGroup", request, Json.AdminAddUserToGroupRequest, Json.Empty, cancellationToken);

    public Task AdminRemoveUserFromGroupAsync(AdminRemoveUserFromGroupRequest request, CancellationToken cancellationToken = default) =>
        Call("AdminRemoveUserFromGroup", request, Json.AdminRemoveUserFromGroupRequest, Json.Empty, cancellationToken);

    public Task<GroupResponse> CreateGroupAsync(CreateGroupRequest request, CancellationToken cancellationToken = default) =>
        Call("CreateGroup", request, Json.CreateGroupRequest, Json.GroupResponse, cancellationToken);

    public Task<GroupResponse> UpdateGroupAsync(UpdateGroupRequest request, CancellationToken cancellationToken = default) =>
        Call("UpdateGroup", request, Json.UpdateGroupRequest, Json.GroupResponse, cancellationToken);

    public Task DeleteGroupAsync(DeleteGroupRequest request, CancellationToken cancellationToken = default) =>
        Call("DeleteGroup", request, Json.DeleteGroupRequest, Json.Empty, cancellationToken);

    public Task<GroupResponse> GetGroupAsync(GetGroupRequest request, CancellationToken cancellationToken = default) =>
        Call("GetGroup", request, Json.GetGroupRequest, Json.GroupResponse, cancellationToken);

    internal Task<ListGroupsResponse> ListGroupsPageAsync(ListGroupsRequest request, CancellationToken cancellationToken = default) =>
        Call("ListGroups", request, Json.ListGroupsRequest, Json.ListGroupsResponse, cancellationToken);

    public IAsyncEnumerable<GroupType> ListGroupsAsync(ListGroupsRequest request, CancellationToken cancellationToken = default) =>
        Paginate(
            request.NextToken,
            (token, ct) => ListGroupsPageAsync(request with { NextToken = token }, ct),
            page => (page.Groups, page.NextToken),
            cancellationToken);

    internal Task<ListUsersResponse> ListUsersPageAsync(ListUsersRequest request, CancellationToken cancellationToken = default) =>
        Call("ListUsers", request, Json.ListUsersRequest, Json.ListUsersResponse, cancellationToken);

    public IAsyncEnumerable<UserType> ListUsersAsync(ListUsersRequest request, CancellationToken cancellationToken = default) =>
        Paginate(
            request.PaginationToken,
            (token, ct) => ListUsersPageAsync(request with { PaginationToken = token }, ct),
            page => (page.Users, page.PaginationToken),
            cancellationToken);

    internal Task<ListUsersInGroupResponse> ListUsersInGroupPageAsync(ListUsersInGroupRequest request, CancellationToken cancellationToken = default) =>
        Call("ListUsersInGroup", request, Json.ListUsersInGroupRequest, Json.ListUsersInGroupResponse, cancellationToken);

    public IAsyncEnumerable<UserType> ListUsersInGroupAsync(ListUsersInGroupRequest request, CancellationToken cancellationToken = default) =>
        Paginate(
            request.NextToken,
            (token, ct) => ListUsersInGroupPageAsync(request with { NextToken = token }, ct),
            page => (page.Users, page.NextToken),
            cancellationToken);

    internal Task<DescribeUserPoolResponse> DescribeUserPoolAsync(DescribeUserPoolRequest request, CancellationToken cancellationToken = default) =>
        Call("DescribeUserPool", request, Json.DescribeUserPoolRequest, Json.DescribeUserPoolResponse, cancellationToken);

    /// <summary>DescribeUserPool as raw JSON: every member, including ones this client does not model.</summary>
    public Task<DescribeUserPoolRawResponse> DescribeUserPoolRawAsync(string userPoolId, CancellationToken cancellationToken = default) =>
        Call("DescribeUserPool", new DescribeUserPoolRequest(userPoolId), Json.DescribeUserPoolRequest, Json.DescribeUserPoolRawResponse, cancellationToken);

    /// <summary>UpdateUserPool with a raw JSON request. Cognito resets every setting the request leaves out.</summary>
    public Task UpdateUserPoolRawAsync(JsonObject request, CancellationToken cancellationToken = default) =>
        Call("UpdateUserPool", request, Json.JsonObject, Json.Empty, cancellationToken);

    public Task<CreateUserPoolResponse> CreateUserPoolAsync(CreateUserPoolRequest request, CancellationToken cancellationToken = default) =>
        Call("CreateUserPool", request, Json.CreateUserPoolRequest, Json.CreateUserPoolResponse, cancellationToken);

    public Task<CreateUserPoolClientResponse> CreateUserPoolClientAsync(CreateUserPoolClientRequest request, CancellationToken cancellationToken = default) =>
        Call("CreateUserPoolClient", request, Json.CreateUserPoolClientRequest, Json.CreateUserPoolClientResponse, cancellationToken);

    public Task<SignUpResponse> SignUpAsync(SignUpRequest request, CancellationToken cancellationToken = default) =>
        Call("SignUp", request, Json.SignUpRequest, Json.SignUpResponse, cancellationToken);

    public Task ConfirmSignUpAsync(ConfirmSignUpRequest request, CancellationToken cancellationToken = default) =>
        Call("ConfirmSignUp", request, Json.ConfirmSignUpRequest, Json.Empty, cancellationToken);

    public Task<InitiateAuthResponse> InitiateAuthAsync(InitiateAuthRequest request, CancellationToken cancellationToken = default) =>
        Call("InitiateAuth", request, Json.InitiateAuthRequest, Json.InitiateAuthResponse, cancellationToken);

    private Task<TResponse> Call<TRequest, TResponse>(
        string operation,
        TRequest request,
        JsonTypeInfo<TRequest> requestType,
        JsonTypeInfo<TResponse> responseType,
        CancellationToken cancellationToken)
        where TResponse : new() =>
        _policy.ExecuteAsync(
            operation,
            ct => _transport.SendAsync(operation, request, requestType, responseType, ct),
            cancellationToken);

    private static async IAsyncEnumerable<TItem> Paginate<TPage, TItem>(
        string? firstToken,
        Func<string?, CancellationToken, Task<TPage>> fetch,
        Func<TPage, (IReadOnlyList<TItem>? Items, string? Next)> split,
        [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var token = firstToken;
        var seen = new HashSet<string>(StringComparer.Ordinal);
        while (true)
        {
            var (items, next) = split(await fetch(token, cancellationToken));
            foreach (var item in items ?? [])
            {
                yield return item;
            }

            if (string.IsNullOrEmpty(next))
            {
                yield break;
            }

            if (!seen.Add(next))
            {
                throw new InvalidOperationException("The service returned the same pagination token twice; stopping to avoid an endless listing.");
            }

            token = next;
        }
    }
}
