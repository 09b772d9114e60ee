using System.CommandLine;
using IdentityReplicator.Cli.Commands;

namespace IdentityReplicator.Integration.Tests;

/// <summary>
/// Every typed option of every command (numbers, durations, URLs, names from a list), found by walking the command
/// tree, answers a value it cannot read with exit code 2 and a message naming the option and the form it accepts —
/// never a stack trace. A new typed option is covered the day it is added.
/// </summary>
public sealed class CliOptionsTests
{
    private static readonly HashSet<Type> Untyped = [typeof(bool), typeof(string), typeof(string[]), typeof(FileInfo), typeof(DirectoryInfo)];

    public static TheoryData<string> TypedOptions() => [.. TypedOptionNames()];

    [Theory]
    [MemberData(nameof(TypedOptions))]
    public async Task Idrep_TypedOptionGivenANonNumber_ExitsTwoNamingTheOptionAndTheFormItAccepts(string commandAndOption)
    {
        // Arrange: the command with its required options filled in, and the typed option given 'abc'.
        var words = commandAndOption.Split(' ');
        var (_, command) = Commands(IdrepCommand.Build(), []).Single(c => c.Path.SequenceEqual(words[..^1]));
        var required = command.Options.Where(o => o.Required && o.Name != words[^1])
            .SelectMany(o => new[] { o.Name, o.ValueType == typeof(FileInfo) ? "settings.json" : "x" });
        string[] arguments = [.. words[..^1], .. required, words[^1], "abc"];

        // Act
        var (exit, output) = await IdrepProcess.RunAsync(TimeSpan.FromSeconds(60), arguments);

        // Assert
        Assert.True(exit == 2, $"idrep {string.Join(' ', arguments)} exited {exit}: {output}");
        Assert.Contains($"{words[^1]} is 'abc'; it must be ", output, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", output, StringComparison.Ordinal);
    }

    [Fact]
    public void TypedOptions_IncludeTheOptionsTheIssueNamed()
    {
        // Act
        var options = TypedOptionNames().ToList();

        // Assert: the walk really reaches the commands (it cannot pass by finding nothing).
        Assert.Superset(
            new HashSet<string>(["demo --users", "bench sync --users", "bench drift --users", "drift --fail-on", "sandbox up --seed", "health --url", "drift --format", "demo --cloudtrail-delay"], StringComparer.Ordinal),
            new HashSet<string>(options, StringComparer.Ordinal));
    }

    [Theory]
    [InlineData("--users", "0", "--users is '0'; it must be a whole number from 1 to 100000.")]
    [InlineData("--users", "100001", "--users is '100001'; it must be a whole number from 1 to 100000.")]
    [InlineData("--cloudtrail-delay", "-00:00:01", "--cloudtrail-delay is '-00:00:01'; it must be a duration like 00:00:05, not negative.")]
    public async Task Demo_OptionOutOfRange_ExitsTwoNamingTheRange(string option, string value, string message)
    {
        // Act
        var (exit, output) = await IdrepProcess.RunAsync(TimeSpan.FromSeconds(60), "demo", option, value);

        // Assert
        Assert.Equal(2, exit);
        Assert.Contains(message, output, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("127.0.0.1:8080/health/ready")]
    [InlineData("ftp://127.0.0.1/health/ready")]
    public async Task Health_UrlNotAnHttpAddress_ExitsTwoNamingUrl(string url)
    {
        // Act
        var (exit, output) = await IdrepProcess.RunAsync(TimeSpan.FromSeconds(60), "health", "--url", url);

        // Assert
        Assert.Equal(2, exit);
        Assert.Contains($"--url is '{url}'; it must be an absolute http(s) URL", output, StringComparison.Ordinal);
    }

    /// <summary>"command subcommand --option" for every option that takes a value read as something other than text, a flag or a path.</summary>
    private static IEnumerable<string> TypedOptionNames() =>
        from command in Commands(IdrepCommand.Build(), [])
        from option in command.Command.Options
        where option.Arity.MaximumNumberOfValues > 0 && !Untyped.Contains(option.ValueType)
        select string.Join(' ', [.. command.Path, option.Name]);

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
