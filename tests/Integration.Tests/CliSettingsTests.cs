using System.Reflection;
using IdentityReplicator.Cli.Commands;
using IdentityReplicator.Cli.Hosting;
using IdentityReplicator.Core.Configuration;
using IdentityReplicator.Reconciler;
using IdentityReplicator.Replicator.Capture;

namespace IdentityReplicator.Integration.Tests;

/// <summary>
/// Settings of the wrong form and unknown keys stop every command that reads settings, and the worker, before
/// anything starts: exit code 2, every mistake named with its key, value and accepted form, no stack trace.
/// </summary>
public sealed class CliSettingsTests : IDisposable
{
    private static readonly string[] Expected =
    [
        "Mirror:FeedBuckets is 'abc'; it must be a whole number.",
        "Reconciler:PollInterval is 'soon'; it must be a duration like 00:00:05.",
        "Quotas:Standby:MaxRetries is 'abc'; it must be a whole number.",
        "Replication:UsernamesCaseSensitive is 'yes'; it must be true or false.",
        "Sweep:Enabled is 'maybe'; it must be true or false.",
        "Replicaton is not a section of idrep; did you mean Replication?",
        "Sweep:Intervall is not a setting of idrep; did you mean Sweep:Interval?",
    ];

    private readonly string _folder = Directory.CreateTempSubdirectory("idrep-settings-").FullName;

    [Theory]
    [InlineData("worker")]
    [InlineData("sync")]
    [InlineData("sync --dry-run")]
    [InlineData("drift")]
    [InlineData("drift --publish")]
    [InlineData("triggers install --function-arn arn:aws:lambda:us-east-1:123456789012:function:replicator")]
    public async Task Command_ConfigFileWithWrongTypesAndTypos_ExitsTwoNamingEveryMistake(string command)
    {
        // Arrange
        var path = Path.Combine(_folder, "settings.json");
        await File.WriteAllTextAsync(path, """
            {
              "Replication": {
                "Primary": { "Region": "us-east-1", "UserPoolId": "us-east-1_Abc123" },
                "Standby": { "Region": "us-west-2", "UserPoolId": "us-west-2_Abc123" },
                "UsernamesCaseSensitive": "yes"
              },
              "Replicaton": { "ExcludeAttributes": [ "custom:tier" ] },
              "Mirror": { "FeedBuckets": "abc" },
              "Reconciler": { "PollInterval": "soon" },
              "Quotas": { "Standby": { "MaxRetries": "abc" } },
              "Sweep": { "Enabled": "maybe", "Intervall": "00:05:00" },
              "Logging": { "LogLevel": { "Default": "Debug" } }
            }
            """);

        // Act
        var (exit, output) = await IdrepProcess.RunAsync(TimeSpan.FromSeconds(60), new Dictionary<string, string>(), [.. command.Split(' '), "--config", path]);

        // Assert
        Assert.True(exit == 2, $"exit {exit}: {output}");
        Assert.All(Expected, line => Assert.Contains(line, output, StringComparison.Ordinal));
        Assert.DoesNotContain("Logging", output, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", output, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("worker")]
    [InlineData("sync")]
    [InlineData("drift")]
    public async Task Command_IdrepEnvironmentVariablesWithWrongTypesAndUnknownSections_ExitsTwoNamingEveryMistake(string command)
    {
        // Arrange: the container's way (no config file); every IDREP_…__… variable is a setting of idrep.
        var environment = new Dictionary<string, string>
        {
            ["IDREP_Replication__Primary__Region"] = "us-east-1",
            ["IDREP_Replication__Primary__UserPoolId"] = "us-east-1_Abc123",
            ["IDREP_Replication__Standby__Region"] = "us-west-2",
            ["IDREP_Replication__Standby__UserPoolId"] = "us-west-2_Abc123",
            ["IDREP_Mirror__FeedBuckets"] = "abc",
            ["IDREP_Sweep__Enabled"] = "maybe",
            ["IDREP_Logging__LogLevel__Default"] = "Debug",
        };

        // Act
        var (exit, output) = await IdrepProcess.RunAsync(TimeSpan.FromSeconds(60), environment, command);

        // Assert
        Assert.True(exit == 2, $"exit {exit}: {output}");
        Assert.Contains("Mirror:FeedBuckets is 'abc'; it must be a whole number.", output, StringComparison.Ordinal);
        Assert.Contains("Sweep:Enabled is 'maybe'; it must be true or false.", output, StringComparison.Ordinal);
        Assert.Contains("Logging is not a section of idrep; use one of ", output, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", output, StringComparison.Ordinal);
    }

    [Fact]
    public void ToolSettings_CoverEveryOptionsTypeWithASection()
    {
        // Arrange: every options type of the assemblies idrep runs names its section in a constant 'Section'.
        var assemblies = new[] { typeof(IdrepCommand), typeof(ReplicationOptions), typeof(CaptureOptions), typeof(ReconcilerOptions) }.Select(t => t.Assembly);
        var optionsTypes = assemblies.SelectMany(a => a.GetTypes())
            .Where(t => t.GetField("Section", BindingFlags.Public | BindingFlags.Static) is { IsLiteral: true })
            .ToList();

        // Act
        var covered = ToolSettings.Sections.Select(s => s.Options).ToHashSet();

        // Assert
        Assert.NotEmpty(optionsTypes);
        Assert.All(optionsTypes, t => Assert.Contains(t, covered));
    }

    public void Dispose() => Directory.Delete(_folder, recursive: true);
}
