using System.CommandLine;
using System.CommandLine.Help;
using Spectre.Console;

namespace IdentityReplicator.Cli.Hosting;

/// <summary>
/// How wide idrep writes. Piped into <c>tee</c>, a file or a CI log, nothing wraps: a line is as long as it is, so a
/// report path or a run id stays whole for the next command to pick up (Spectre.Console would otherwise assume 80
/// columns and break them mid-word). On a terminal tables fit its width, but columns that hold identifiers are
/// never folded and lines that carry a path or an id are written plainly, for the terminal to wrap softly.
/// </summary>
internal static class TerminalOutput
{
    /// <summary>The width assumed when standard output is not a terminal: more than any line idrep writes.</summary>
    public const int UnwrappedWidth = 32_767;

    /// <summary>Sets the widths of Spectre.Console and of the help pages for where standard output goes.</summary>
    public static void Configure(RootCommand root, bool outputRedirected)
    {
        if (!outputRedirected)
        {
            return;
        }

        AnsiConsole.Profile.Width = UnwrappedWidth;
        if (root.Options.OfType<HelpOption>().SingleOrDefault()?.Action is HelpAction help)
        {
            help.MaxWidth = UnwrappedWidth;
        }
    }

    /// <summary>A line that carries a path or an identifier: written as it is, never folded.</summary>
    public static void Line(string text) => Console.Out.WriteLine(text);
}
