using System.CommandLine;

namespace IdentityReplicator.Cli.Commands;

/// <summary>What a command prints for its result: text for people (the default) or one JSON document for machines.</summary>
internal enum OutputFormat
{
    Text,
    Json,
}

/// <summary>
/// <c>-o, --output text|json</c>, as <c>aws</c> and <c>kubectl</c> spell it, with <c>--json</c> kept as a hidden alias
/// for one release (scripts written before <c>--output</c>). Add it to a command like an option (<c>{ config, output }</c>)
/// and read it with <c>parse.GetValue(output)</c>: true when the command should print JSON.
/// </summary>
internal sealed class MachineOutput
{
    public MachineOutput()
    {
        Format = TypedOptions.OneOf("--output", "text (default) or json (one JSON document for machines).", OutputFormat.Text, "-o");
        LegacyJson = new Option<bool>("--json") { Description = "The same as --output json (kept for one release).", Hidden = true };
    }

    /// <summary><c>-o, --output</c>.</summary>
    public Option<OutputFormat> Format { get; }

    /// <summary><c>--json</c>: hidden, deprecated.</summary>
    public Option<bool> LegacyJson { get; }

    /// <summary>Whether the command was asked for JSON, by <c>--output json</c> or by <c>--json</c>.</summary>
    public bool IsJson(ParseResult parse) => parse.GetValue(LegacyJson) || parse.GetValue(Format) == OutputFormat.Json;
}

/// <summary>Lets a <see cref="MachineOutput"/> be added and read like one option.</summary>
internal static class MachineOutputExtensions
{
    /// <summary>Adds <c>-o, --output</c> and the hidden <c>--json</c> (so <c>new Command(...) { output }</c> works).</summary>
    public static void Add(this Command command, MachineOutput output)
    {
        command.Options.Add(output.Format);
        command.Options.Add(output.LegacyJson);
        command.Validators.Add(r =>
        {
            if (r.GetValue(output.LegacyJson) && r.GetResult(output.Format) is { Implicit: false } && r.GetValue(output.Format) != OutputFormat.Json)
            {
                r.AddError("--json and --output text contradict each other; pass one (--json is the old spelling of --output json).");
            }
        });
    }

    /// <summary>True when the command should print JSON.</summary>
    public static bool GetValue(this ParseResult parse, MachineOutput output) => output.IsJson(parse);
}
