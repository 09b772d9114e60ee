using System.CommandLine;

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
            .Select(n => (Name: n, Distance: Distance(word, n)))
            .Where(c => c.Distance <= allowed)
            .OrderBy(c => c.Distance)
            .ThenBy(c => c.Name, StringComparer.Ordinal)
            .Select(c => c.Name)
            .FirstOrDefault();
    }

    /// <summary>Edits (insert, delete, substitute, swap two neighbours) from <paramref name="a"/> to <paramref name="b"/>, ignoring case.</summary>
    public static int Distance(string a, string b)
    {
        a = a.ToLowerInvariant();
        b = b.ToLowerInvariant();
        var d = new int[a.Length + 1, b.Length + 1];
        for (var i = 0; i <= a.Length; i++)
        {
            d[i, 0] = i;
        }

        for (var j = 0; j <= b.Length; j++)
        {
            d[0, j] = j;
        }

        for (var i = 1; i <= a.Length; i++)
        {
            for (var j = 1; j <= b.Length; j++)
            {
                var cost = a[i - 1] == b[j - 1] ? 0 : 1;
                d[i, j] = Math.Min(Math.Min(d[i - 1, j] + 1, d[i, j - 1] + 1), d[i - 1, j - 1] + cost);
                if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1])
                {
                    d[i, j] = Math.Min(d[i, j], d[i - 2, j - 2] + 1);
                }
            }
        }

        return d[a.Length, b.Length];
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
