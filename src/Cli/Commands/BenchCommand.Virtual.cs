using System.CommandLine;
using System.Globalization;
using IdentityReplicator.Cli.Bench;
using IdentityReplicator.Sandbox.VirtualPool;
using Microsoft.Extensions.Logging;

namespace IdentityReplicator.Cli.Commands;

/// <summary><c>idrep bench drift --virtual</c> and <c>idrep bench sweep --virtual</c>: drift and the sweep at scale, on virtual pools.</summary>
internal static partial class BenchCommand
{
    /// <summary>Pools of more users than cognito-local holds are virtual (<see cref="VirtualSandbox"/>).</summary>
    private const int MaxEmulatedUsers = 100_000;

    private static Command BuildSweep()
    {
        var users = VirtualUsersOption();
        var groups = Groups();
        var json = CommonOptions.Output();
        var (isVirtual, differences, quotaScale, seed) = VirtualOptions();
        var command = new Command("sweep", "Time and peak memory of one pass of the primary sweep ('idrep sweep') over a virtual pool of N users (--virtual is required).")
        {
            users, groups, json, isVirtual, quotaScale, seed,
        };
        command.SetAction(async (parse, cancellationToken) =>
        {
            if (!parse.GetValue(isVirtual))
            {
                await Console.Error.WriteLineAsync("'idrep bench sweep' runs on virtual pools only: add --virtual.");
                return IdrepCommand.UsageError;
            }

            return await RunVirtualAsync(VirtualBenchKind.Sweep, parse, users, groups, differences, quotaScale, seed, json, cancellationToken);
        });
        return command;
    }

    private static Option<int> VirtualUsersOption() =>
        TypedOptions.WholeNumber("--users", $"Users in the primary (at most {MaxEmulatedUsers} on cognito-local; up to 10,000,000 with --virtual).", 2000, 1, 10_000_000, "-n");

    private static (Option<bool> IsVirtual, Option<int> Differences, Option<double?> QuotaScale, Option<int> Seed) VirtualOptions() =>
    (
        new Option<bool>("--virtual") { Description = "Measure against two virtual pools (the sandbox's synthetic Cognito endpoint, behind its quota proxy) instead of cognito-local." },
        TypedOptions.WholeNumber("--differences", "With --virtual: users whose standby copy differs (missing, an attribute, the enabled flag, a membership, in turn).", 100, 0, 10_000_000),
        TypedOptions.PositiveNumber("--quota-scale", "With --virtual: multiply Cognito's quotas (and the tool's budgets) by this; default 1 up to 50,000 users, then ⌈N/50,000⌉. Stated in the output."),
        TypedOptions.WholeNumber("--seed", "With --virtual: seed of the users' attributes.", 15, 0, int.MaxValue)
    );

    /// <summary>
    /// What is wrong with the combination of options, or <c>null</c>. Checked when the command runs, after every value
    /// parsed (a command validator would read values that may not have parsed, and throw).
    /// </summary>
    private static string? VirtualUsageProblem(ParseResult parse, Option<int> users, Option<bool> isVirtual, Option<int> differences)
    {
        if (!parse.GetValue(isVirtual) && parse.GetValue(users) > MaxEmulatedUsers)
        {
            return $"--users is {parse.GetValue(users)}; cognito-local holds at most {MaxEmulatedUsers}: add --virtual for more.";
        }

        return parse.GetValue(isVirtual) && parse.GetValue(differences) > parse.GetValue(users)
            ? $"--differences is {parse.GetValue(differences)}; it must be at most --users ({parse.GetValue(users)})."
            : null;
    }

    private static async Task<int> RunVirtualAsync(
        VirtualBenchKind kind,
        ParseResult parse,
        Option<int> users,
        Option<int> groups,
        Option<int> differences,
        Option<double?> quotaScale,
        Option<int> seed,
        MachineOutput json,
        CancellationToken cancellationToken)
    {
        using var loggers = LoggerFactory.Create(b => b.AddConsole(o => o.LogToStandardErrorThreshold = LogLevel.Trace).SetMinimumLevel(LogLevel.Warning));
        var pool = new VirtualPoolOptions
        {
            Users = parse.GetValue(users),
            Groups = parse.GetValue(groups),
            Differences = kind == VirtualBenchKind.Drift ? Math.Min(parse.GetValue(differences), parse.GetValue(users)) : 0,
            Seed = parse.GetValue(seed),
        };
        var scale = parse.GetValue(quotaScale) ?? VirtualBenchmark.DefaultScale(pool.Users);
        VirtualBenchResult result;
        try
        {
            result = await new VirtualBenchmark(loggers, TimeProvider.System, line => Console.Error.WriteLine(line)).RunAsync(kind, pool, scale, cancellationToken);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            return IdrepCommand.Aborted;
        }

        var line = result.ToJson().ToJsonString();
        Console.WriteLine(parse.GetValue(json)
            ? line
            : string.Create(
                CultureInfo.InvariantCulture,
                $"{kind} over {result.Users} virtual users: {result.ElapsedS:0.0} s against a UserList bound of {result.BoundS:0.0} s (efficiency {result.Efficiency:0.000}, quotas ×{result.QuotaScale}), peak memory {result.PeakMemoryMb:0} MB, {result.DifferencesFound} of {result.DifferencesInjected} injected differences found, {result.UserListCalls} UserList calls.{Environment.NewLine}{line}"));
        return result.DifferencesFound == result.DifferencesInjected ? IdrepCommand.Ok : IdrepCommand.CheckFailed;
    }
}
