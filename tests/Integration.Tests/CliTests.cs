namespace IdentityReplicator.Integration.Tests;

/// <summary>idrep as a command: bad input gets a clear message naming the problem, and exit code 2.</summary>
public sealed class CliTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("idrep-cli-").FullName;

    [Fact]
    public async Task Worker_ConfigFileMissing_ExitsWithUsageErrorNamingTheFile()
    {
        var path = Path.Combine(_folder, "missing.json");

        var (exit, output) = await IdrepProcess.RunAsync(TimeSpan.FromSeconds(60), "worker", "--config", path);

        Assert.Equal(2, exit);
        Assert.Contains("missing.json", output, StringComparison.Ordinal);
        Assert.Contains("does not exist", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Worker_ConfigFileNotJson_ExitsWithUsageError()
    {
        var path = Path.Combine(_folder, "broken.json");
        await File.WriteAllTextAsync(path, "{ \"Replication\": ");

        var (exit, output) = await IdrepProcess.RunAsync(TimeSpan.FromSeconds(60), "worker", "--config", path);

        Assert.Equal(2, exit);
        Assert.Contains("not valid JSON", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Worker_InvalidSettings_ExitsWithUsageErrorNamingEachSettingAndTheFix()
    {
        var path = Path.Combine(_folder, "typo.json");
        await File.WriteAllTextAsync(path, """
            {
              "Replication": {
                "Primary": { "Region": "us-east-1", "UserPoolId": "not a pool id" },
                "Standby": { "Region": "uswest2", "UserPoolId": "us-west-2_Abc123" }
              },
              "Mirror": { "FeedBuckets": 0 }
            }
            """);

        var (exit, output) = await IdrepProcess.RunAsync(TimeSpan.FromSeconds(60), "worker", "--config", path);

        Assert.Equal(2, exit);
        Assert.Contains("Replication:Primary:UserPoolId", output, StringComparison.Ordinal);
        Assert.Contains("Replication:Standby:Region", output, StringComparison.Ordinal);
        Assert.Contains("Mirror:FeedBuckets", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Demo_UnknownOption_ExitsWithUsageError()
    {
        var (exit, output) = await IdrepProcess.RunAsync(TimeSpan.FromSeconds(60), "demo", "--userz", "5");

        Assert.Equal(2, exit);
        Assert.Contains("--userz", output, StringComparison.Ordinal);
    }

    public void Dispose() => Directory.Delete(_folder, recursive: true);
}
