using System.Text;
using System.Text.Json.Nodes;
using IdentityReplicator.Core.Quotas;
using IdentityReplicator.Sandbox.Cognito;
using IdentityReplicator.Sandbox.Proxy;
using Microsoft.Extensions.Time.Testing;

namespace IdentityReplicator.Sandbox.Tests.Proxy;

/// <summary>The quota proxy meters each Cognito quota category and refuses as Cognito does.</summary>
public sealed class QuotaProxyTests
{
    private readonly FakeTimeProvider _time = new();

    [Fact]
    public async Task BeforeAsync_BucketEmpty_AnswersTooManyRequestsLikeCognito()
    {
        var proxy = new QuotaProxy(_time);
        proxy.Configure(new QuotaProxyOptions { Rates = new Dictionary<QuotaCategory, double> { [QuotaCategory.UserCreation] = 2 }, BurstSeconds = 1 });

        Assert.Null(await proxy.BeforeAsync(Call("AdminCreateUser"), CancellationToken.None));
        Assert.Null(await proxy.BeforeAsync(Call("SignUp"), CancellationToken.None));
        var refused = await proxy.BeforeAsync(Call("AdminCreateUser"), CancellationToken.None);

        Assert.NotNull(refused);
        Assert.Equal(400, refused.Status);
        var body = JsonNode.Parse(Encoding.UTF8.GetString(refused.Body))!;
        Assert.Equal("TooManyRequestsException", body["__type"]!.GetValue<string>());
        Assert.Equal(new ProxyCounters(2, 1), proxy.Counters[QuotaCategory.UserCreation]);
    }

    [Fact]
    public async Task BeforeAsync_CategoriesAreIndependentAndRefillWithTime()
    {
        var proxy = new QuotaProxy(_time);
        proxy.Configure(new QuotaProxyOptions { Scale = 0.02, BurstSeconds = 1 });

        Assert.Null(await proxy.BeforeAsync(Call("AdminAddUserToGroup"), CancellationToken.None));
        Assert.NotNull(await proxy.BeforeAsync(Call("AdminAddUserToGroup"), CancellationToken.None));
        Assert.Null(await proxy.BeforeAsync(Call("ListUsers"), CancellationToken.None));

        _time.Advance(TimeSpan.FromSeconds(2)); // UserResourceUpdate: 25 × 0.02 = 0.5 calls per second

        Assert.Null(await proxy.BeforeAsync(Call("AdminAddUserToGroup"), CancellationToken.None));
        Assert.Equal(2, proxy.AllowedByOperation.Values.Sum() - 1);
    }

    [Fact]
    public async Task BeforeAsync_NotConfigured_LetsEverythingThrough()
    {
        var proxy = new QuotaProxy(_time);

        for (var i = 0; i < 100; i++)
        {
            Assert.Null(await proxy.BeforeAsync(Call("AdminCreateUser"), CancellationToken.None));
        }

        Assert.Empty(proxy.Counters);
    }

    [Fact]
    public async Task FaultInjector_Configured_InjectsEachFaultAtItsRate()
    {
        var faults = new FaultInjector(_time);
        faults.Configure(new FaultOptions { Throttle = 1 });
        Assert.Equal(400, (await faults.BeforeAsync(Call("AdminGetUser"), CancellationToken.None))!.Status);

        faults.Configure(new FaultOptions { ServerError = 1 });
        Assert.Equal(500, (await faults.BeforeAsync(Call("AdminGetUser"), CancellationToken.None))!.Status);

        faults.Configure(new FaultOptions { Drop = 1, Operations = new HashSet<string> { "ListUsers" } });
        Assert.Same(FrontReply.Dropped, await faults.BeforeAsync(Call("ListUsers"), CancellationToken.None));
        Assert.Null(await faults.BeforeAsync(Call("AdminGetUser"), CancellationToken.None));
        Assert.Equal(1, faults.Injected);

        faults.Configure(null);
        Assert.Null(await faults.BeforeAsync(Call("ListUsers"), CancellationToken.None));
    }

    [Fact]
    public async Task FaultInjector_MixedRates_CountsEachKindOfFaultItInjected()
    {
        var faults = new FaultInjector(_time);
        faults.Configure(new FaultOptions { Throttle = 0.2, ServerError = 0.1, Seed = 3 });
        var statuses = new List<int>();

        for (var i = 0; i < 1000; i++)
        {
            statuses.Add((await faults.BeforeAsync(Call("AdminCreateUser"), CancellationToken.None))?.Status ?? 200);
        }

        Assert.Equal(new FaultCounters(statuses.Count(s => s == 400), statuses.Count(s => s == 500), Dropped: 0), faults.Counters);
        Assert.InRange(faults.Counters.Throttled, 150, 250);
        Assert.InRange(faults.Counters.ServerErrors, 60, 140);
        Assert.Equal(faults.Injected, faults.Counters.Throttled + faults.Counters.ServerErrors);

        faults.Configure(new FaultOptions());
        Assert.Equal(new FaultCounters(0, 0, 0), faults.Counters);
    }

    private static FrontCall Call(string operation) => new(operation, new JsonObject { ["UserPoolId"] = "local_1" });
}
