using System.Text.Json.Nodes;
using IdentityReplicator.Sandbox.Cognito;
using IdentityReplicator.Sandbox.Emulators;
using IdentityReplicator.Sandbox.Proxy;
using IdentityReplicator.Sandbox.VirtualPool;
using IdentityReplicator.TestSupport;
using Microsoft.Extensions.Logging.Abstractions;

namespace IdentityReplicator.Sandbox.Tests.Conformance;

/// <summary>
/// The virtual pool's replies, read by the official AWS SDK for JavaScript v3 and its paginators: each must parse and
/// hold only members of the API models, with values of the models' types, and paging must reach every user once.
/// </summary>
public sealed class VirtualPoolConformanceTests
{
    private static readonly string[] Files = ["package.json", "package-lock.json", "cognito-configuration.mjs"];
    private const string Script = "virtual-pool.mjs";

    [Fact]
    public async Task JsSdk_EveryVirtualPoolOperation_ParsesRepliesShapedAsTheModelSays()
    {
        var options = new VirtualPoolOptions { Users = 130, Groups = 4, Differences = 4 };
        var users = new VirtualUsers(options, VirtualSide.Standby);
        const string poolId = "us-west-2_VStandby1";
        var quotas = new QuotaProxy(TimeProvider.System);
        quotas.Configure(new QuotaProxyOptions { Scale = 1000 });
        await using var front = await CognitoFront.StartAsync(new Uri("http://127.0.0.1:9/"), [quotas, new VirtualPoolService(users, poolId, "us-west-2")], CancellationToken.None);

        var reply = await RunAsync(new JsonObject
        {
            ["cognito"] = front.Url.ToString(),
            ["region"] = "us-west-2",
            ["userPoolId"] = poolId,
            ["sub"] = users.SubOf(5),
        });

        var steps = reply["steps"]!.AsObject();
        foreach (var (name, step) in steps.Where(s => s.Key is not ("ListUsersTooLarge" or "AdminGetMissingUser")))
        {
            Assert.True(step?["error"] is null, $"{name} failed: {step?.ToJsonString()}");
        }

        Assert.Empty(reply["violations"]!.AsArray().Select(v => v!.GetValue<string>()));
        Assert.Empty(reply["newerThanV2"]!.AsArray().Select(v => v!.GetValue<string>()));
        Assert.Equal("InvalidParameterException", steps["ListUsersTooLarge"]!["error"]!.GetValue<string>());
        Assert.Equal("UserNotFoundException", steps["AdminGetMissingUser"]!["error"]!.GetValue<string>());
        Assert.Equal("vu-00000005", steps["ListUsersBySub"]!["Users"]![0]!["Username"]!.GetValue<string>());
        Assert.NotNull(steps["ListGroups"]!["NextToken"]);
        Assert.Equal(["vgroup-0000"], steps["AdminListGroupsForUser"]!["Groups"]!.AsArray().Select(g => g!["GroupName"]!.GetValue<string>()));

        var present = Enumerable.Range(0, options.Users).Count(i => users.User(i) is not null);
        var pages = reply["pages"]!;
        Assert.Equal(3, pages["users"]!.GetValue<int>());
        Assert.Equal(present, pages["usernames"]!.GetValue<int>());
        Assert.Equal(present, pages["distinct"]!.GetValue<int>());
        Assert.Equal(4, pages["groups"]!.GetValue<int>());
        Assert.Equal(Enumerable.Range(0, options.Users).Count(i => users.User(i)?.Group is not null), pages["members"]!.GetValue<int>());
    }

    private static async Task<JsonObject> RunAsync(JsonObject input)
    {
        // The same npm install as the configuration conformance test (one npm ci); this script is placed beside it.
        var install = await EmulatorPackages.EnsureInstalledAsync(typeof(VirtualPoolConformanceTests).Assembly, "cognito-conformance", Files, NullLogger.Instance, TimeProvider.System, CancellationToken.None);
        var emulators = await EmulatorPackages.EnsureInstalledAsync(NullLogger.Instance, TimeProvider.System, CancellationToken.None);
        var staged = Path.Combine(install, $"{Script}.{Environment.ProcessId}.tmp");
        await using (var resource = typeof(VirtualPoolConformanceTests).Assembly.GetManifestResourceStream("cognito-conformance/" + Script)!)
        await using (var file = File.Create(staged))
        {
            await resource.CopyToAsync(file);
        }

        File.Move(staged, Path.Combine(install, Script), overwrite: true);
        input["v2Model"] = Path.Combine(emulators, "node_modules", "aws-sdk", "apis", "cognito-idp-2016-04-18.min.json");
        return await NodeScript.RunAsync(install, Script, input, TimeSpan.FromSeconds(90));
    }
}
