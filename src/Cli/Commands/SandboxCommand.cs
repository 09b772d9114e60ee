using System.CommandLine;
using IdentityReplicator.Cli.Demo;
using IdentityReplicator.Sandbox;
using Microsoft.Extensions.Logging;

namespace IdentityReplicator.Cli.Commands;

/// <summary><c>idrep sandbox up</c>: the local two-Region environment, until interrupted.</summary>
internal static class SandboxCommand
{
    public static Command Build()
    {
        var data = new Option<DirectoryInfo?>("--data") { Description = "Keep emulator state and the config file in this folder (default: a temporary folder, deleted on exit)." };
        var usernamePools = new Option<bool>("--username-pools") { Description = "Create pools that sign in by username instead of by email." };
        var cloudTrailDelay = TypedOptions.Duration(
            "--cloudtrail-delay",
            "How long a CloudTrail event takes to reach the Replicator (on AWS: typically seconds). Default 00:00:00.",
            TimeSpan.Zero);
        var seed = TypedOptions.WholeNumber(
            "--seed",
            "Create this many made-up users (example.com addresses) in the primary pool once the sandbox is up; with no worker running they wait in the mirror table, so a drift report shows them missing from the standby.",
            0,
            0,
            10_000);
        var nativeReplica = new Option<bool>("--native-replica")
        {
            Description = "Give the primary pool a simulated Cognito native replica (ACTIVE) in the standby Region: the same pool id at the standby endpoint (docs/sandbox.md).",
        };
        var up = new Command("up", "Start the sandbox (two Cognito emulators, DynamoDB, EventBridge, S3 for drift reports, the Replicator's triggers), print one JSON line describing it, and stay up until interrupted.")
        {
            data,
            usernamePools,
            cloudTrailDelay,
            seed,
            nativeReplica,
        };
        up.SetAction((parse, cancellationToken) => UpAsync(
            new SandboxOptions { DataDirectory = parse.GetValue(data)?.FullName, SignInByEmail = !parse.GetValue(usernamePools), CloudTrailDelay = parse.GetValue(cloudTrailDelay), S3 = true, NativeReplica = parse.GetValue(nativeReplica), JourneyUsers = true, Progress = Console.Error.WriteLine },
            parse.GetValue(seed),
            cancellationToken));
        return new Command("sandbox", "The local two-Region sandbox (no AWS account needed).") { up };
    }

    private static async Task<int> UpAsync(SandboxOptions options, int seed, CancellationToken cancellationToken)
    {
        using var loggers = LoggerFactory.Create(b => b.AddSimpleConsole(o => o.SingleLine = true).SetMinimumLevel(LogLevel.Warning));
        await using var sandbox = await SandboxEnvironment.StartAsync(options, loggers, TimeProvider.System, cancellationToken);
        if (seed > 0)
        {
            var client = sandbox.Client(sandbox.Primary);
            foreach (var user in DemoUsers.Generate(seed, "seed"))
            {
                await DemoRunner.CreateAsync(client, sandbox, user, options.SignInByEmail, cancellationToken);
            }

            await Console.Error.WriteLineAsync($"Created {seed} users in the primary pool.");
        }

        Console.WriteLine(sandbox.DescribeAsJson());
        await Console.Error.WriteLineAsync($"Sandbox is up. Run 'idrep worker --config {sandbox.ConfigFile}' in another terminal; press Ctrl+C here to stop everything.");
        try
        {
            await Task.Delay(Timeout.InfiniteTimeSpan, TimeProvider.System, cancellationToken);
        }
        catch (OperationCanceledException)
        {
            // Interrupted, the only way it ends: dispose stops every process; exit 3, as the demo.
            await Console.Error.WriteLineAsync("Sandbox interrupted; stopping everything it started.");
        }

        return IdrepCommand.Aborted;
    }
}
