using System.CommandLine;
using IdentityReplicator.Core.Configuration;

namespace IdentityReplicator.Cli.Commands;

/// <summary>
/// "Did you mean …?" for a mistyped command or option, as git and kubectl answer: the closest name the command line
/// knows at that point (subcommands for a word, options — the command's and the global ones — for a word starting
/// with '-'), when it is at most two edits away. Hidden options are never suggested.
/// </summary>
internal static class Suggestions
{
    /// <summary>One line per unmatched word that is close to a name: "Did you mean 'drift'?".</summary>
    public static IReadOnlyList<string> For(ParseResult result)
    {
        var lines = new List<string>();
        foreach (var token in result.UnmatchedTokens.Distinct(StringComparer.Ordinal))
        {
            var candidates = token.StartsWith('-') ? OptionNames(result) : CommandNames(result.CommandResult.Command);
            if (Closest(token, candidates) is { } name)
            {
                lines.Add($"'{token}' is not {(token.StartsWith('-') ? "an option" : "a command")} of '{Path(result)}'. Did you mean '{name}'?");
            }
        }

        return lines;
    }

    /// <summary>The name closest to <paramref name="word"/> within the allowed distance, or null.</summary>
    public static string? Closest(string word, IEnumerable<string> names)
    {
        var allowed = word.TrimStart('-').Length <= 4 ? 1 : 2;
        return names
            .Select(n => (Name: n, Distance: EditDistance.Of(word, n)))
            .Where(c => c.Distance <= allowed)
            .OrderBy(c => c.Distance)
            .ThenBy(c => c.Name, StringComparer.Ordinal)
            .Select(c => c.Name)
            .FirstOrDefault();
    }

    /// <summary>"idrep drift": the command the parser had reached.</summary>
    public static string Path(ParseResult result)
    {
        var words = new List<string>();
        for (var command = result.CommandResult; command is not null; command = command.Parent as System.CommandLine.Parsing.CommandResult)
        {
            words.Insert(0, command.Command is RootCommand ? "idrep" : command.Command.Name);
        }

        return string.Join(' ', words);
    }

    private static IEnumerable<string> CommandNames(Command command) =>
        command.Subcommands.Where(c => !c.Hidden).SelectMany(c => c.Aliases.Prepend(c.Name));

    private static IEnumerable<string> OptionNames(ParseResult result)
    {
        var own = result.CommandResult.Command.Options;
        var global = new List<Option>();
        for (var command = result.CommandResult.Parent as System.CommandLine.Parsing.CommandResult; command is not null; command = command.Parent as System.CommandLine.Parsing.CommandResult)
        {
            global.AddRange(command.Command.Options.Where(o => o.Recursive));
        }

        return own.Concat(global).Where(o => !o.Hidden).SelectMany(o => o.Aliases.Prepend(o.Name));
    }
}
