using System.Diagnostics;

namespace IdentityReplicator.Cli.Bench;

/// <summary>This idrep, started again as a child process (as an operator runs it), for benchmarks that need a separate process.</summary>
internal static class IdrepSelf
{
    /// <summary>
    /// The start of <c>idrep <paramref name="arguments"/></c>, output redirected: this executable when it is idrep's own
    /// host, else <c>dotnet idrep.dll</c> (under <c>dotnet run</c> or a test host).
    /// </summary>
    public static ProcessStartInfo StartInfo(IEnumerable<string> arguments)
    {
        var self = Environment.ProcessPath;
        var name = Path.GetFileNameWithoutExtension(self);
        var start = new ProcessStartInfo(name is "idrep" or "dotnet" ? self! : "dotnet")
        {
            UseShellExecute = false,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        if (name != "idrep")
        {
            start.ArgumentList.Add(typeof(IdrepSelf).Assembly.Location);
        }

        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        return start;
    }
}
