using System.CommandLine;
using System.Globalization;
using IdentityReplicator.Cli.Bench;
using Microsoft.Extensions.Logging;

namespace IdentityReplicator.Cli.Commands;

/// <summary><c>idrep bench relay</c>: the token relay's overhead over calling the token endpoint directly.</summary>
internal static partial class BenchCommand
{
    /// <summary>The relay's budget at p99 over a direct call (issue 13).</summary>
    public const double RelayOverheadGoalMs = 20;

    private static Command BuildRelay()
    {
        var requests = TypedOptions.WholeNumber("--requests", "Token requests each way (direct and relayed, alternating).", 1000, 10, 1_000_000);
        var output = CommonOptions.Output();
        var command = new Command("relay", "Token requests straight to the primary's token endpoint and through the relay, alternating: p99 of each and the relay's overhead.")
        {
            requests, output,
        };
        command.SetAction(async (parse, cancellationToken) =>
        {
            using var loggers = LoggerFactory.Create(b => b.AddSimpleConsole().SetMinimumLevel(LogLevel.Warning));
            var bench = new RelayBenchmark(loggers, TimeProvider.System, line => Console.Error.WriteLine(line));
            RelayBenchResult result;
            try
            {
                result = await bench.RunAsync(parse.GetValue(requests), cancellationToken);
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                return IdrepCommand.Aborted;
            }

            if (!output.IsJson(parse))
            {
                Console.WriteLine(string.Create(
                    CultureInfo.InvariantCulture,
                    $"{result.Requests} requests each way: direct p50 {result.DirectP50Ms:0.00} ms, p99 {result.DirectP99Ms:0.00} ms; relayed p50 {result.RelayP50Ms:0.00} ms, p99 {result.RelayP99Ms:0.00} ms; overhead at p99 {result.OverheadP99Ms:0.00} ms (goal ≤ {RelayOverheadGoalMs:0} ms)"));
            }

            Console.WriteLine(RelayBenchmark.Json(result).ToJsonString());
            return result.OverheadP99Ms <= RelayOverheadGoalMs ? IdrepCommand.Ok : IdrepCommand.CheckFailed;
        });
        return command;
    }
}
