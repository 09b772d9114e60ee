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

    [Theory]
    [InlineData("drift")]
    [InlineData("sync")]
    [InlineData("clients")]
    public async Task Command_NoConfigFileAndNoEnvironment_SaysNoConfigurationWasFoundAndTheTwoWaysToGiveOne(string command)
    {
        // Act: no --config, and none of the test process's IDREP_ variables.
        var (exit, output) = await IdrepProcess.RunAsync(TimeSpan.FromSeconds(60), new Dictionary<string, string>(), command);

        // Assert
        Assert.Equal(2, exit);
        Assert.Contains("No configuration found", output, StringComparison.Ordinal);
        Assert.Contains("--config FILE", output, StringComparison.Ordinal);
        Assert.Contains("IDREP_Replication__Primary__UserPoolId", output, StringComparison.Ordinal);
        Assert.DoesNotContain("( in )", output, StringComparison.Ordinal);
        Assert.DoesNotContain("Replication:Primary:Region is ''", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Demo_FirstRunWithAnEmptyCache_SaysItIsInstallingTheEmulatorsAndWhenItIsDone()
    {
        // Arrange: an empty emulator cache, as on a fresh machine.
        var cache = Path.Combine(_folder, "cache");

        // Act
        var (exit, output) = await IdrepProcess.RunAsync(TimeSpan.FromMinutes(5), new Dictionary<string, string> { ["IDREP_CACHE_DIR"] = cache }, "demo", "--users", "2", "--no-changes");

        // Assert
        Assert.True(exit == 0, output);
        Assert.Contains("Installing the local emulators (first run, about a minute)…", output, StringComparison.Ordinal);
        Assert.Contains("later runs start in seconds.", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Demo_UnknownOption_ExitsWithUsageError()
    {
        var (exit, output) = await IdrepProcess.RunAsync(TimeSpan.FromSeconds(60), "demo", "--userz", "5");

        Assert.Equal(2, exit);
        Assert.Contains("--userz", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task DriftPublish_NoOutputConfigured_ExitsWithUsageErrorNamingBothSettings()
    {
        // Pools configured (else "No configuration found" comes first), but neither place to store the report.
        var pools = new Dictionary<string, string>
        {
            ["IDREP_Replication__Primary__Region"] = "us-east-1",
            ["IDREP_Replication__Primary__UserPoolId"] = "us-east-1_AbC123xyz",
            ["IDREP_Replication__Standby__Region"] = "us-west-2",
            ["IDREP_Replication__Standby__UserPoolId"] = "us-west-2_DeF456uvw",
        };
        var (exit, output) = await IdrepProcess.RunAsync(TimeSpan.FromSeconds(60), pools, "drift", "--publish");

        Assert.Equal(2, exit);
        Assert.Contains("Drift:OutputDirectory", output, StringComparison.Ordinal);
        Assert.Contains("Drift:OutputBucket", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task DriftPublish_WithOut_ExitsWithUsageError()
    {
        var (exit, output) = await IdrepProcess.RunAsync(TimeSpan.FromSeconds(60), "drift", "--publish", "--out", Path.Combine(_folder, "report.html"));

        Assert.Equal(2, exit);
        Assert.Contains("--publish", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task TriggersInstall_UnknownTrigger_ExitsWithUsageErrorNamingTheTriggersBeforeReadingTheConfig()
    {
        var (exit, output) = await IdrepProcess.RunAsync(TimeSpan.FromSeconds(60), "triggers", "install", "--config", Path.Combine(_folder, "missing.json"), "--function-arn", "arn:aws:lambda:us-east-1:123456789012:function:r", "--trigger", "PreSignup");

        Assert.Equal(2, exit);
        Assert.Contains("'PreSignup' is not a trigger the Replicator handles; use one of PreSignUp, PostConfirmation, PostAuthentication, PreTokenGeneration, CustomMessage.", output, StringComparison.Ordinal);
        Assert.DoesNotContain("missing.json", output, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("sync")]
    [InlineData("drift")]
    public async Task OneShotCommand_NoConfigFile_ReadsIdrepEnvironmentVariables(string command)
    {
        var environment = new Dictionary<string, string>
        {
            ["IDREP_Replication__Primary__Region"] = "us-east-1",
            ["IDREP_Replication__Primary__UserPoolId"] = "not a pool id",
            ["IDREP_Replication__Standby__Region"] = "us-west-2",
            ["IDREP_Replication__Standby__UserPoolId"] = "us-west-2_Abc123",
        };

        var (exit, output) = await IdrepProcess.RunAsync(TimeSpan.FromSeconds(60), environment, command);

        Assert.Equal(2, exit);
        Assert.Contains("Replication:Primary:UserPoolId", output, StringComparison.Ordinal);
        Assert.Contains("not a pool id", output, StringComparison.Ordinal);
    }

    public void Dispose() => Directory.Delete(_folder, recursive: true);
}
