using System.CommandLine;
using System.CommandLine.Invocation;
using System.Reflection;

namespace IdentityReplicator.Cli.Commands;

/// <summary><c>idrep help [command…]</c>: the same page as <c>idrep [command…] --help</c>, as git and kubectl offer it.</summary>
internal static class HelpCommand
{
    public static Command Build()
    {
        var words = new Argument<string[]>("command") { Description = "The command to explain, e.g. 'drift' or 'failover drill'.", Arity = ArgumentArity.ZeroOrMore };
        var command = new Command("help", "Show help for idrep or for one of its commands.") { words };
        command.SetAction((parse, _) =>
        {
            // A word that is not a command gets the usage error and its did-you-mean, not the help of the command before it.
            string[] path = parse.GetValue(words) ?? [];
            return IdrepCommand.RunAsync(IdrepCommand.Build().Parse(path).UnmatchedTokens.Count > 0 ? path : [.. path, "--help"]);
        });
        return command;
    }
}

/// <summary>
/// <c>idrep --version</c>: "idrep 1.0.0 (commit 7181006e1747)". The commit is stamped at build time from git
/// (SourceRevisionId, which the SDK reads from the repository); a build without git says so instead of guessing.
/// </summary>
internal sealed class VersionAction : SynchronousCommandLineAction
{
    public override int Invoke(ParseResult parseResult)
    {
        parseResult.InvocationConfiguration.Output.WriteLine(Line(typeof(VersionAction).Assembly));
        return IdrepCommand.Ok;
    }

    /// <summary>The version line of <paramref name="assembly"/>.</summary>
    public static string Line(Assembly assembly)
    {
        var informational = assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion ?? "0.0.0";
        var plus = informational.IndexOf('+', StringComparison.Ordinal);
        var version = plus < 0 ? informational : informational[..plus];
        var commit = plus < 0 ? null : informational[(plus + 1)..];
        return commit is { Length: > 0 }
            ? $"idrep {version} (commit {commit[..Math.Min(12, commit.Length)]})"
            : $"idrep {version} (commit unknown: built without git)";
    }
}
