using System.CommandLine;
using System.Text.RegularExpressions;
using CsCheck;
using IdentityReplicator.Cli.Commands;
using IdentityReplicator.Core.Configuration;

namespace IdentityReplicator.Integration.Tests;

/// <summary>
/// idrep behaves as aws, kubectl and terraform users expect: <c>-o, --output</c> on every command with machine output
/// (<c>--json</c> a hidden alias), <c>idrep help [command]</c>, a did-you-mean for a mistyped command or option (exit 2),
/// and <c>--version</c> with the commit.
/// </summary>
public sealed partial class CliConventionsTests
{
    /// <summary>Every command that prints a result for machines (its path), found by walking the command tree.</summary>
    public static TheoryData<string> MachineOutputCommands() => [.. Commands(IdrepCommand.Build(), []).Where(c => HasOption(c.Command, "--output")).Select(c => string.Join(' ', c.Path))];

    [Fact]
    public void MachineOutputCommands_IncludeEveryCommandThatHadJson()
    {
        // Act
        var commands = Commands(IdrepCommand.Build(), []).ToList();
        var withOutput = commands.Where(c => HasOption(c.Command, "--output")).Select(c => string.Join(' ', c.Path)).ToHashSet(StringComparer.Ordinal);

        // Assert: the walk reaches them (it cannot pass by finding nothing), and no command keeps --json alone.
        Assert.Superset(
            new HashSet<string>(["demo", "sync", "drift", "clients", "triggers install", "failover plan", "failover drill", "failover status", "bench sync"], StringComparer.Ordinal),
            withOutput);
        Assert.All(commands.Where(c => HasOption(c.Command, "--json")), c => Assert.Contains(string.Join(' ', c.Path), withOutput));
    }

    [Theory]
    [MemberData(nameof(MachineOutputCommands))]
    public void Output_JsonOnEveryCommand_ParsesAsJsonAndTheOldJsonFlagToo(string path)
    {
        // Arrange: the command with its required options filled in.
        var root = IdrepCommand.Build();
        var (words, command) = Commands(root, []).Single(c => string.Join(' ', c.Path) == path);
        string[] required = [.. command.Options.Where(o => o.Required).SelectMany(o => new[] { o.Name, o.ValueType == typeof(FileInfo) ? "settings.json" : "x" })];
        var output = command.Options.Single(o => o.Name == "--output");

        // Act
        var shortForm = root.Parse([.. words, .. required, "-o", "json"]);
        var longForm = root.Parse([.. words, .. required, "--output", "JSON"]);
        var legacy = root.Parse([.. words, .. required, "--json"]);

        // Assert
        Assert.Empty(shortForm.Errors);
        Assert.Empty(longForm.Errors);
        Assert.Equal("json", shortForm.GetResult(output)?.GetValueOrDefault<object>()?.ToString()?.ToLowerInvariant());
        Assert.Equal("json", longForm.GetResult(output)?.GetValueOrDefault<object>()?.ToString()?.ToLowerInvariant());
        if (HasOption(command, "--json"))
        {
            Assert.Empty(legacy.Errors);
            Assert.True(command.Options.Single(o => o.Name == "--json").Hidden, $"{path}: --json is the old spelling and stays out of the help");
        }
    }

    [Fact]
    public async Task Drift_OutputYaml_ExitsTwoListingTheAcceptedValuesWithoutTypeNames()
    {
        // Act
        var (exit, output) = await IdrepProcess.RunAsync(TimeSpan.FromSeconds(60), "drift", "--output", "yaml");

        // Assert
        Assert.Equal(2, exit);
        Assert.Contains("--output is 'yaml'; it must be one of text, json, md, html.", output, StringComparison.Ordinal);
        Assert.DoesNotContain("IdentityReplicator.", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Idrep_MistypedCommand_SuggestsTheCommandAndExitsTwo()
    {
        // Act
        var (exit, output) = await IdrepProcess.RunAsync(TimeSpan.FromSeconds(60), "dirft");

        // Assert
        Assert.Equal(2, exit);
        Assert.Contains("Did you mean 'drift'?", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Drift_MistypedOption_SuggestsTheOptionAndExitsTwo()
    {
        // Act
        var (exit, output) = await IdrepProcess.RunAsync(TimeSpan.FromSeconds(60), "drift", "--confg", "settings.json");

        // Assert
        Assert.Equal(2, exit);
        Assert.Contains("Did you mean '--config'?", output, StringComparison.Ordinal);
        Assert.Contains("Run 'idrep help drift' for usage.", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Help_Drift_ExitsZeroWithTheOptionsAndNotTheHiddenOldSpellings()
    {
        // Act
        var (exit, output) = await IdrepProcess.RunAsync(TimeSpan.FromSeconds(60), "help", "drift");

        // Assert
        Assert.Equal(0, exit);
        Assert.Contains("-o, --output <text|json|md|html>", output, StringComparison.Ordinal);
        Assert.DoesNotContain("--format", output, StringComparison.Ordinal);
        Assert.DoesNotContain("[default: Text]", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Help_NoCommand_ListsTheCommandsIncludingHealthAndHelp()
    {
        // Act
        var (exit, output) = await IdrepProcess.RunAsync(TimeSpan.FromSeconds(60), "help");

        // Assert
        Assert.Equal(0, exit);
        Assert.Matches(@"(?m)^\s+health\b", output);
        Assert.Matches(@"(?m)^\s+help\b", output);
    }

    [Fact]
    public async Task Help_MistypedCommand_SuggestsTheCommandAndExitsTwo()
    {
        // Act
        var (exit, output) = await IdrepProcess.RunAsync(TimeSpan.FromSeconds(60), "help", "failover", "dril");

        // Assert
        Assert.Equal(2, exit);
        Assert.Contains("Did you mean 'drill'?", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Version_PrintsTheVersionAndTheCommitItWasBuiltFrom()
    {
        // Act
        var (exit, output) = await IdrepProcess.RunAsync(TimeSpan.FromSeconds(60), "--version");

        // Assert: these tests are built from a git checkout, so the commit is known.
        Assert.Equal(0, exit);
        Assert.Matches(VersionLine(), output.Trim());
    }

    [Fact]
    public void Distance_SwapOfNeighbours_IsOneEditAndSymmetric()
    {
        Gen.String[Gen.Char['a', 'z'], 2, 12].Select(Gen.Int[0, 10]).Sample((word, at) =>
        {
            var i = at % (word.Length - 1);
            var swapped = string.Concat(word[..i], word[i + 1].ToString(), word[i].ToString(), word[(i + 2)..]);
            return EditDistance.Of(word, word) == 0
                && EditDistance.Of(word, swapped) == (swapped == word ? 0 : 1)
                && EditDistance.Of(word, swapped + "x") == EditDistance.Of(swapped + "x", word);
        });
    }

    [GeneratedRegex(@"^idrep \d+\.\d+\.\d+ \(commit [0-9a-f]{12}\)$")]
    private static partial Regex VersionLine();

    private static bool HasOption(Command command, string name) => command.Options.Any(o => o.Name == name);

    private static IEnumerable<(string[] Path, Command Command)> Commands(Command command, string[] path)
    {
        yield return (path, command);
        foreach (var sub in command.Subcommands)
        {
            foreach (var found in Commands(sub, [.. path, sub.Name]))
            {
                yield return found;
            }
        }
    }
}
