using IdentityReplicator.Core.Cognito;
using IdentityReplicator.Core.Quotas;
using IdentityReplicator.Sandbox.Proxy;
using IdentityReplicator.TestSupport;

namespace IdentityReplicator.Sandbox.Tests.Proxy;

/// <summary>The proxy in front of cognito-local, through the real client: throttling, faults and paging as Cognito does them.</summary>
[Collection(SandboxCollection.Name)]
public sealed class ProxyOnSandboxTests(SandboxFixture fixture)
{
    private SandboxEnvironment Sandbox => fixture.Sandbox;

    [Fact]
    public async Task Client_QuotaExceeded_GetsTypedThrottlingError()
    {
        var proxy = Sandbox.QuotaProxyOf(Sandbox.Standby);
        proxy.Configure(new QuotaProxyOptions { Rates = new Dictionary<QuotaCategory, double> { [QuotaCategory.UserPoolRead] = 0.01 } });
        try
        {
            var client = Sandbox.Client(Sandbox.Standby);
            await client.DescribeUserPoolAsync(new DescribeUserPoolRequest(Sandbox.Standby.UserPoolId));

            var error = await Assert.ThrowsAsync<TooManyRequestsException>(() => client.DescribeUserPoolAsync(new DescribeUserPoolRequest(Sandbox.Standby.UserPoolId)));

            Assert.True(error.IsThrottling);
            Assert.Equal(System.Net.HttpStatusCode.BadRequest, error.StatusCode);
        }
        finally
        {
            proxy.Configure(null);
        }
    }

    [Fact]
    public async Task Client_DroppedConnectionsAndServerErrors_SurfaceAsNetworkAndRetryableErrors()
    {
        var faults = Sandbox.FaultsOf(Sandbox.Standby);
        var client = Sandbox.Client(Sandbox.Standby);
        try
        {
            faults.Configure(new FaultOptions { Drop = 1 });
            await Assert.ThrowsAsync<HttpRequestException>(() => client.DescribeUserPoolAsync(new DescribeUserPoolRequest(Sandbox.Standby.UserPoolId)));

            faults.Configure(new FaultOptions { ServerError = 1 });
            var error = await Assert.ThrowsAsync<InternalErrorException>(() => client.DescribeUserPoolAsync(new DescribeUserPoolRequest(Sandbox.Standby.UserPoolId)));
            Assert.True(error.IsRetryable);
        }
        finally
        {
            faults.Configure(null);
        }
    }

    [Fact]
    public async Task ListUsers_MoreUsersThanTheLimit_ArePagedWithTokens()
    {
        var pool = Sandbox.Primary;
        for (var i = 0; i < 5; i++)
        {
            await SandboxPools.CreateUserAsync(Sandbox, pool, $"paging-{i}-{Guid.NewGuid():N}@example.com");
        }

        var client = Sandbox.Client(pool);
        var first = await client.ListUsersPageAsync(new ListUsersRequest(pool.UserPoolId) { Limit = 2 });
        var all = await SandboxPools.ListUsersAsync(Sandbox, pool);

        Assert.Equal(2, first.Users!.Count);
        Assert.NotNull(first.PaginationToken);
        var second = await client.ListUsersPageAsync(new ListUsersRequest(pool.UserPoolId) { Limit = 2, PaginationToken = first.PaginationToken });
        Assert.Empty(first.Users.Select(u => u.Username).Intersect(second.Users!.Select(u => u.Username)));
        Assert.True(all.Count >= 5);
        Assert.Equal(all.Count, all.Select(u => u.Username).Distinct().Count());
    }
}
