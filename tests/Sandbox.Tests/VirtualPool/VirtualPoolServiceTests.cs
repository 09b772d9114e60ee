using IdentityReplicator.Core.Aws;
using IdentityReplicator.Core.Cognito;
using IdentityReplicator.Core.Pools;
using IdentityReplicator.Core.Quotas;
using IdentityReplicator.Sandbox.Cognito;
using IdentityReplicator.Sandbox.Proxy;
using IdentityReplicator.Sandbox.VirtualPool;

namespace IdentityReplicator.Sandbox.Tests.VirtualPool;

/// <summary>The virtual pool over HTTP, through the product's own Cognito client and the sandbox's quota proxy.</summary>
public sealed class VirtualPoolServiceTests : IAsyncLifetime
{
    private const string Region = "us-west-2";
    private const string PoolId = Region + "_VStandby1";
    private static readonly VirtualPoolOptions Options = new() { Users = 250, Groups = 3, Differences = 8 };
    private readonly QuotaProxy _quotas = new(TimeProvider.System);
    private CognitoFront _front = null!;

    private VirtualUsers Users { get; } = new(Options, VirtualSide.Standby);

    public async Task InitializeAsync()
    {
        _quotas.Configure(new QuotaProxyOptions { Scale = 1000 });
        _front = await CognitoFront.StartAsync(new Uri("http://127.0.0.1:9/"), [_quotas, new VirtualPoolService(Users, PoolId, Region)], CancellationToken.None);
    }

    public async Task DisposeAsync() => await _front.DisposeAsync();

    [Fact]
    public async Task ListUsers_WholePool_EveryUserOnceInPagesOfSixty()
    {
        var listed = new List<DirectoryUser>();
        await foreach (var user in Directory().ListUsersAsync(CancellationToken.None))
        {
            listed.Add(user);
        }

        var present = Enumerable.Range(0, Options.Users).Select(Users.User).OfType<VirtualUser>().ToList();
        Assert.Equal(present.Select(u => u.Username), listed.Select(u => u.Username));
        Assert.Equal(present.Select(u => u.Sub), listed.Select(u => u.Sub));
        Assert.Equal((long)Math.Ceiling(Options.Users / 60.0), _quotas.AllowedByOperation["ListUsers"]);
    }

    [Fact]
    public async Task ListUsersInGroup_EveryGroup_ListsItsMembersAsAdminListGroupsForUserSays()
    {
        var directory = Directory();
        var groups = new List<DirectoryGroup>();
        await foreach (var group in directory.ListGroupsAsync(CancellationToken.None))
        {
            groups.Add(group);
        }

        Assert.Equal(["vgroup-0000", "vgroup-0001", "vgroup-0002"], groups.Select(g => g.Name));
        foreach (var group in groups)
        {
            var members = new List<string>();
            await foreach (var name in directory.ListUsernamesInGroupAsync(group.Name, CancellationToken.None))
            {
                members.Add(name);
            }

            Assert.NotEmpty(members);
            foreach (var member in members.Take(3))
            {
                Assert.Equal([group.Name], await directory.ListGroupsForUserAsync(member, CancellationToken.None));
            }

            var expected = Enumerable.Range(0, Options.Users).Select(Users.User).Where(u => u?.Group is { } g && VirtualUsers.GroupName(g) == group.Name);
            Assert.Equal(expected.Select(u => u!.Username), members);
        }
    }

    [Fact]
    public async Task FindUserBySub_AUsersSub_FindsThatUser()
    {
        var user = Users.User(17)!;

        var found = await Directory().FindUserBySubAsync(user.Sub, CancellationToken.None);

        Assert.Equal(user.Username, found?.Username);
        Assert.Equal(user.GivenName, found?.Attributes["given_name"]);
        Assert.Null(await Directory().FindUserBySubAsync(new VirtualUsers(Options, VirtualSide.Primary).SubOf(17), CancellationToken.None));
    }

    [Fact]
    public async Task AdminGetUser_InjectedMissingUser_IsUserNotFound()
    {
        var missing = Enumerable.Range(0, Options.Users).First(i => Users.DifferenceOf(i) == VirtualDifference.Missing);

        Assert.Null(await Directory().FindUserAsync(VirtualUsers.UsernameOf(missing), CancellationToken.None));
        Assert.Equal(VirtualUsers.UsernameOf(missing + 1), (await Directory().FindUserAsync(VirtualUsers.UsernameOf(missing + 1), CancellationToken.None))?.Username);
        await Assert.ThrowsAsync<UserNotFoundException>(() => Client().AdminGetUserAsync(new AdminGetUserRequest(PoolId, "nobody")));
    }

    [Fact]
    public async Task ListUsers_LimitAboveSixty_IsInvalidParameter()
    {
        await Assert.ThrowsAsync<InvalidParameterException>(() => Client().ListUsersPageAsync(new ListUsersRequest(PoolId) { Limit = 61 }));
    }

    [Fact]
    public async Task ListUsers_OverTheQuota_IsThrottledByTheProxy()
    {
        _quotas.Configure(new QuotaProxyOptions { Rates = new Dictionary<QuotaCategory, double> { [QuotaCategory.UserList] = 0.01 } });
        var client = Client();
        await client.ListUsersPageAsync(new ListUsersRequest(PoolId));

        await Assert.ThrowsAsync<TooManyRequestsException>(() => client.ListUsersPageAsync(new ListUsersRequest(PoolId)));
    }

    [Fact]
    public async Task DescribeUserPool_ItsPool_IsAUsernamePoolWithTheReplicatedSchema()
    {
        var pool = await Directory().DescribeAsync(CancellationToken.None);

        Assert.False(pool.SignsInByAlias);
        Assert.False(pool.CaseSensitive);
        Assert.Contains("custom:tier", pool.Schema.Keys);
    }

    [Fact]
    public async Task AdminCreateUser_ReadOnlyPool_IsRefusedAsUnsupported()
    {
        var error = await Assert.ThrowsAnyAsync<CognitoException>(() => Directory().CreateUserAsync("x", new Dictionary<string, string>(), "Passw0rd!", CancellationToken.None));

        Assert.Equal("UnsupportedOperationException", error.ErrorCode);
    }

    private CognitoIdentityProviderClient Client() =>
        CognitoIdentityProviderClient.Create(new AwsEndpoint(Region, _front.Url), SandboxEnvironment.Credentials);

    private CognitoUserDirectory Directory() => new(Client(), PoolId);
}
