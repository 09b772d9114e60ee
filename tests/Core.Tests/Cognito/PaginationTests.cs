using IdentityReplicator.Core.Aws;
using IdentityReplicator.Core.Cognito;
using IdentityReplicator.Core.Tests.Aws;

namespace IdentityReplicator.Core.Tests.Cognito;

/// <summary>Paginated operations offered as async streams: every page is fetched with the previous page's token.</summary>
public sealed class PaginationTests
{
    private const string Pool = "us-east-1_Pool1";

    [Fact]
    public async Task ListUsersAsync_ThreePages_YieldsEveryUserInOrderPassingEachToken()
    {
        // Arrange
        var pages = new Dictionary<string, string>
        {
            [""] = """{"Users":[{"Username":"a"},{"Username":"b"}],"PaginationToken":"t1"}""",
            ["t1"] = """{"Users":[{"Username":"c"}],"PaginationToken":"t2"}""",
            ["t2"] = """{"Users":[{"Username":"d"},{"Username":"e"}]}""",
        };
        var capture = new CapturingHandler((request, _) => CapturingHandler.Json(pages[TokenOf(request, "PaginationToken")]));
        var client = Client(capture);

        // Act
        var users = await Collect(client.ListUsersAsync(new ListUsersRequest(Pool) { Limit = 2, Filter = "status = \"Enabled\"" }));

        // Assert
        Assert.Equal(["a", "b", "c", "d", "e"], users.Select(u => u.Username));
        Assert.Equal(["", "t1", "t2"], capture.Requests.Select(r => TokenOf(r, "PaginationToken")));
        Assert.All(capture.Requests, r => Assert.Equal("status = \"Enabled\"", r.Json().GetProperty("Filter").GetString()));
    }

    [Fact]
    public async Task ListUsersAsync_EmptyTokenOnFirstPage_StopsAfterOnePage()
    {
        // Arrange
        var capture = new CapturingHandler(() => CapturingHandler.Json("""{"Users":[{"Username":"a"}],"PaginationToken":""}"""));

        // Act
        var users = await Collect(Client(capture).ListUsersAsync(new ListUsersRequest(Pool)));

        // Assert
        Assert.Single(users);
        Assert.Single(capture.Requests);
    }

    [Fact]
    public async Task ListUsersAsync_PageWithoutUsers_ContinuesToTheNextPage()
    {
        // Arrange
        var capture = new CapturingHandler((_, index) => CapturingHandler.Json(index == 0
            ? """{"PaginationToken":"t1"}"""
            : """{"Users":[{"Username":"z"}]}"""));

        // Act
        var users = await Collect(Client(capture).ListUsersAsync(new ListUsersRequest(Pool)));

        // Assert
        Assert.Equal("z", Assert.Single(users).Username);
    }

    [Fact]
    public async Task ListUsersAsync_ServiceRepeatsAToken_ThrowsInsteadOfLoopingForever()
    {
        // Arrange: a faulty service (or emulator) that hands back the same token on every page.
        var capture = new CapturingHandler(() => CapturingHandler.Json("""{"Users":[{"Username":"a"}],"PaginationToken":"same"}"""));
        var seen = new List<string?>();

        // Act
        var exception = await Assert.ThrowsAsync<InvalidOperationException>(async () =>
        {
            await foreach (var user in Client(capture).ListUsersAsync(new ListUsersRequest(Pool)))
            {
                seen.Add(user.Username);
            }
        });

        // Assert
        Assert.Contains("same pagination token", exception.Message, StringComparison.Ordinal);
        Assert.Equal(2, capture.Requests.Count);
        Assert.Equal(["a", "a"], seen);
    }

    [Fact]
    public async Task ListUsersAsync_TokensCycle_ThrowsInvalidOperation()
    {
        // Arrange: t1 → t2 → t1 …
        var capture = new CapturingHandler((_, index) => CapturingHandler.Json(index % 2 == 0
            ? """{"Users":[],"PaginationToken":"t1"}"""
            : """{"Users":[],"PaginationToken":"t2"}"""));

        // Act / Assert
        await Assert.ThrowsAsync<InvalidOperationException>(() => Collect(Client(capture).ListUsersAsync(new ListUsersRequest(Pool))));
        Assert.Equal(3, capture.Requests.Count);
    }

    [Fact]
    public async Task AdminListGroupsForUserAsync_TwoPages_FollowsNextToken()
    {
        // Arrange
        var capture = new CapturingHandler((request, _) => CapturingHandler.Json(TokenOf(request, "NextToken") switch
        {
            "" => """{"Groups":[{"GroupName":"admins","Precedence":1}],"NextToken":"n1"}""",
            "n1" => """{"Groups":[{"GroupName":"staff"}]}""",
            var other => throw new InvalidOperationException($"unexpected token {other}"),
        }));

        // Act
        var groups = await Collect(Client(capture).AdminListGroupsForUserAsync(new AdminListGroupsForUserRequest("jane", Pool)));

        // Assert
        Assert.Equal(["admins", "staff"], groups.Select(g => g.GroupName));
        Assert.Equal(1, groups[0].Precedence);
        Assert.All(capture.Requests, r => Assert.Equal("AWSCognitoIdentityProviderService.AdminListGroupsForUser", r.Header("X-Amz-Target")));
    }

    [Fact]
    public async Task ListUsersInGroupAsync_TwoPages_FollowsNextToken()
    {
        // Arrange
        var capture = new CapturingHandler((request, _) => CapturingHandler.Json(TokenOf(request, "NextToken") == ""
            ? """{"Users":[{"Username":"a"}],"NextToken":"n1"}"""
            : """{"Users":[{"Username":"b"}]}"""));

        // Act
        var users = await Collect(Client(capture).ListUsersInGroupAsync(new ListUsersInGroupRequest(Pool, "admins")));

        // Assert
        Assert.Equal(["a", "b"], users.Select(u => u.Username));
        Assert.Equal(["", "n1"], capture.Requests.Select(r => TokenOf(r, "NextToken")));
    }

    [Fact]
    public async Task ListGroupsAsync_Cancelled_StopsBeforeTheNextPage()
    {
        // Arrange
        using var cancellation = new CancellationTokenSource();
        var capture = new CapturingHandler(() => CapturingHandler.Json("""{"Groups":[{"GroupName":"g"}],"NextToken":"more"}"""));
        var client = Client(capture);

        // Act
        var exception = await Record.ExceptionAsync(async () =>
        {
            await foreach (var group in client.ListGroupsAsync(new ListGroupsRequest(Pool), cancellation.Token))
            {
                await cancellation.CancelAsync();
            }
        });

        // Assert
        Assert.IsAssignableFrom<OperationCanceledException>(exception);
        Assert.Single(capture.Requests);
    }

    private static CognitoIdentityProviderClient Client(CapturingHandler handler) =>
        new(new HttpClient(handler), new AwsEndpoint("us-east-1"));

    private static string TokenOf(CapturedRequest request, string member) =>
        request.Json().TryGetProperty(member, out var token) ? token.GetString() ?? string.Empty : string.Empty;

    private static async Task<List<T>> Collect<T>(IAsyncEnumerable<T> items)
    {
        var list = new List<T>();
        await foreach (var item in items)
        {
            list.Add(item);
        }

        return list;
    }
}
