using System.Globalization;

namespace IdentityReplicator.Cli.Bench;

/// <summary>
/// The CPU time a process has used (user + system), from <c>/proc/&lt;pid&gt;/stat</c>: beside the elapsed time it says
/// whether a benchmark waited on its quota or on a starved CPU, which a wall-clock figure on a loaded machine cannot.
/// </summary>
internal static class ProcessCpu
{
    /// <summary>Clock ticks per second of <c>utime</c>/<c>stime</c> (USER_HZ, 100 on Linux).</summary>
    private const double TicksPerSecond = 100;

    /// <summary>User + system seconds of a <c>/proc/&lt;pid&gt;/stat</c> line (fields 14 and 15, counted after the name's last ')').</summary>
    public static double SecondsOf(string stat)
    {
        var fields = stat[(stat.LastIndexOf(')') + 1)..].Split(' ', StringSplitOptions.RemoveEmptyEntries);

        // fields[0] is field 3 (state), so utime (14) is fields[11] and stime (15) fields[12].
        return (long.Parse(fields[11], CultureInfo.InvariantCulture) + long.Parse(fields[12], CultureInfo.InvariantCulture)) / TicksPerSecond;
    }

    /// <summary>The process's CPU seconds so far, or <c>null</c> once it is gone.</summary>
    public static double? Read(int processId)
    {
        try
        {
            return SecondsOf(File.ReadAllText($"/proc/{processId}/stat"));
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or FormatException or IndexOutOfRangeException)
        {
            return null;
        }
    }
}
