using IdentityReplicator.Replicator.Lambda;
using Microsoft.Extensions.Logging;

// The Lambda entry point (custom runtime 'bootstrap', Native AOT). Outside Lambda it only explains itself.
var runtimeApi = Environment.GetEnvironmentVariable("AWS_LAMBDA_RUNTIME_API");
if (string.IsNullOrEmpty(runtimeApi))
{
    Console.Error.WriteLine("This is the IdentityReplicator Replicator function (Lambda custom runtime bootstrap).");
    Console.Error.WriteLine("Deploy it with the CDK app in cdk/, or run it locally through 'idrep sandbox up', which hosts the same handler.");
    return 2;
}

using var loggers = LoggerFactory.Create(builder => builder
    .AddJsonConsole(options => options.IncludeScopes = false)
    .SetMinimumLevel(LambdaSettings.TryLogLevel(Environment.GetEnvironmentVariable("IDREP_LOG_LEVEL") ?? string.Empty, out var level) ? level : LogLevel.Information));
var logger = loggers.CreateLogger("IdentityReplicator.Replicator");
using var http = new HttpClient { Timeout = Timeout.InfiniteTimeSpan };
using var stop = new CancellationTokenSource();
AppDomain.CurrentDomain.ProcessExit += (_, _) => stop.Cancel();

ReplicatorFunction function;
try
{
    // Settings that cannot be used (ConfigurationException, every problem named) fail the init: Lambda shows the message.
    function = ReplicatorFunction.FromEnvironment(Environment.GetEnvironmentVariable, loggers, TimeProvider.System, Environment.GetEnvironmentVariables().Keys.OfType<string>());
}
catch (Exception e)
{
    await new LambdaRuntime(http, runtimeApi, (input, _) => Task.FromResult(input), TimeProvider.System, logger).ReportInitErrorAsync(e, stop.Token);
    return 1;
}

await new LambdaRuntime(http, runtimeApi, function.InvokeAsync, TimeProvider.System, logger).RunAsync(stop.Token);
return 0;
