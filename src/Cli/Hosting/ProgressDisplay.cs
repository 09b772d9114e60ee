using System.Globalization;
using IdentityReplicator.Reconciler.Sync;
using Spectre.Console;

namespace IdentityReplicator.Cli.Hosting;

/// <summary>
/// Shows a running sync: a progress bar with users per second, time left and throttled calls on a terminal; a plain
/// line every few seconds when standard error is not one (CI logs, pipes).
/// </summary>
internal static class ProgressDisplay
{
    public static async Task<T> RunAsync<T>(SyncProgress progress, Func<long> throttles, Task<T> work, TimeProvider time)
    {
        var console = AnsiConsole.Create(new AnsiConsoleSettings { Out = new AnsiConsoleOutput(Console.Error) });
        var started = time.GetTimestamp();
        if (!Console.IsErrorRedirected && console.Profile.Capabilities.Interactive)
        {
            await console.Progress()
                .AutoClear(false)
                .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new RemainingTimeColumn(), new SpinnerColumn())
                .StartAsync(async context =>
                {
                    var task = context.AddTask("reading", maxValue: 1);
                    while (!work.IsCompleted)
                    {
                        Update(task, progress, throttles(), time.GetElapsedTime(started));
                        await Task.WhenAny(work, Task.Delay(TimeSpan.FromMilliseconds(200), time));
                    }

                    Update(task, progress, throttles(), time.GetElapsedTime(started));
                    if (work.IsCompletedSuccessfully)
                    {
                        task.Value = task.MaxValue;
                    }

                    task.StopTask();
                });
        }
        else
        {
            while (!work.IsCompleted)
            {
                await Task.WhenAny(work, Task.Delay(TimeSpan.FromSeconds(5), time));
                await Console.Error.WriteLineAsync(Line(progress, throttles(), time.GetElapsedTime(started)));
            }
        }

        return await work;
    }

    public static string Line(SyncProgress progress, long throttles, TimeSpan elapsed)
    {
        if (progress.Total == 0)
        {
            return string.Create(CultureInfo.InvariantCulture, $"sync: {progress.Phase}, {progress.Listed} primary users listed, {throttles} throttled calls, {elapsed.TotalSeconds:0} s");
        }

        var rate = progress.Done / Math.Max(0.001, elapsed.TotalSeconds);
        var left = rate > 0 ? TimeSpan.FromSeconds((progress.Total - progress.Done) / rate) : TimeSpan.Zero;
        return string.Create(
            CultureInfo.InvariantCulture,
            $"sync: {progress.Phase}, users {progress.Done}/{progress.Total} ({100.0 * progress.Done / progress.Total:0}%), {rate:0.0} users/s, ETA {left:h\\:mm\\:ss}, {progress.Applied} changed, {progress.Failed} failed, {throttles} throttled calls");
    }

    private static void Update(ProgressTask task, SyncProgress progress, long throttles, TimeSpan elapsed)
    {
        var rate = progress.Done / Math.Max(0.001, elapsed.TotalSeconds);
        if (progress.Total > 0)
        {
            task.MaxValue = progress.Total;
            task.Value = progress.Done;
        }

        task.Description = Markup.Escape(string.Create(
            CultureInfo.InvariantCulture,
            $"{progress.Phase}: {(progress.Total > 0 ? $"{progress.Done}/{progress.Total} users" : $"{progress.Listed} listed")} · {rate:0.0} users/s · {throttles} throttled"));
    }
}
