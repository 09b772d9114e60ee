using System.Text.Json.Nodes;
using IdentityReplicator.Cli.Bench;

namespace IdentityReplicator.Integration.Tests.Bench;

/// <summary>The virtual benchmark's JSON line: the issue's fields, and what lets a run on a loaded machine be judged.</summary>
public sealed class VirtualBenchResultTests
{
    [Fact]
    public void ProcessCpu_StatLineWithSpacesInTheName_ReadsUserPlusSystemSeconds()
    {
        // Fields 14 and 15 of /proc/<pid>/stat (utime, stime) in clock ticks of 1/100 s; the name may hold spaces and ')'.
        const string stat = "4242 (dotnet (x) y) S 1 4242 4242 0 -1 4194304 100 0 0 0 1234 566 0 0 20 0 30 0 1000 1 1 1";

        Assert.Equal(18.0, ProcessCpu.SecondsOf(stat), 3);
    }

    [Fact]
    public void ToJson_AMeasuredRun_HasEveryIssueFieldAndTheCpuSecondsAndWhatItMeasured()
    {
        var result = new VirtualBenchResult(10_000, 40, 20, 120.5, 100, 100, 1, 500) with
        {
            CpuSeconds = 12.3456,
            ServerCpuSeconds = 4.567,
            Measures = "drift",
            Phases = new ListingPhases(StartS: 2.5, ListingS: 30, TailS: 7.5, UserListPerS: 14.2, UserListBudgetPerS: 15),
        };

        var json = JsonNode.Parse(result.ToJson().ToJsonString())!.AsObject();

        foreach (var field in new[] { "users", "elapsedS", "boundS", "efficiency", "peakMemoryMb", "differencesFound", "differencesInjected", "quotaScale" })
        {
            Assert.True(json.ContainsKey(field), field);
        }

        Assert.Equal(12.35, json["cpuSeconds"]!.GetValue<double>(), 3);
        Assert.Equal(4.57, json["serverCpuSeconds"]!.GetValue<double>(), 3);
        Assert.Equal("drift", json["measures"]!.GetValue<string>());
        Assert.Equal(30, json["phases"]!["listingS"]!.GetValue<double>(), 2);
        Assert.Equal(14.2, json["phases"]!["userListPerS"]!.GetValue<double>(), 2);
    }
}
