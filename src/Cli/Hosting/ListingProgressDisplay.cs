using System.Globalization;
using System.Text;
using IdentityReplicator.Core.Pools;

namespace IdentityReplicator.Cli.Hosting;

/// <summary>
/// A long drift report or sweep, shown while it runs: one line on standard error, rewritten in place twice a second —
/// the phase, per pool the users and pages listed, the rate and the time left — and cleared when the work ends. Only
/// when standard error is a terminal: piped or captured, nothing is written, so machine output stays clean.
/// </summary>
internal static class ListingProgressDisplay
{
    /// <summary>Whether a progress line would be shown here (standard error is a terminal).</summary>
    public static bool Shown => !Console.IsErrorRedirected;

    public static async Task<T> RunAsync<T>(string what, ListingProgress progress, Task<T> work, TimeProvider time)
    {
        if (!Shown)
        {
            return await work;
        }

        var started = time.GetTimestamp();
        var width = 0;
        while (!work.IsCompleted)
        {
            await Task.WhenAny(work, Task.Delay(TimeSpan.FromMilliseconds(500), time));
            if (work.IsCompleted)
            {
                break;
            }

            var line = Line(what, progress, time.GetElapsedTime(started));
            await Console.Error.WriteAsync("\r" + line.PadRight(width));
            width = Math.Max(width, line.Length);
        }

        if (width > 0)
        {
            await Console.Error.WriteAsync("\r" + new string(' ', width) + "\r");
        }

        return await work;
    }

    /// <summary>The progress line: <c>drift: listing · source 120,000/1,000,000 users (2,000 pages) · 410 users/s · ETA 0:35:46 · target 119,880 users (1,998 pages)</c>.</summary>
    public static string Line(string what, ListingProgress progress, TimeSpan elapsed)
    {
        var text = new StringBuilder().Append(what).Append(": ").Append(progress.Phase);
        var seconds = Math.Max(0.001, elapsed.TotalSeconds);
        foreach (var side in progress.Sides)
        {
            var rate = side.Users / seconds;
            text.Append(CultureInfo.InvariantCulture, $" · {side.Side} {side.Users:N0}");
            text.Append(side.Expected is { } expected ? string.Create(CultureInfo.InvariantCulture, $"/{expected:N0}") : string.Empty);
            text.Append(CultureInfo.InvariantCulture, $" users ({side.Pages:N0} pages) · {rate:N0} users/s");
            if (side.Expected is { } total && rate > 0 && total > side.Users)
            {
                text.Append(CultureInfo.InvariantCulture, $" · ETA {TimeSpan.FromSeconds(Math.Round((total - side.Users) / rate)):h\\:mm\\:ss}");
            }
        }

        return text.ToString();
    }
}
