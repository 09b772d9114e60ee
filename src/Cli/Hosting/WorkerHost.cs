using Amazon.Runtime;
using IdentityReplicator.Core.Configuration;
using IdentityReplicator.Core.Telemetry;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Console;
using Microsoft.Extensions.Options;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;

namespace IdentityReplicator.Cli.Hosting;

/// <summary>The worker process: the reconciler (standby side) and capture-hint completion (primary side); in native mode, the native replica's canary.</summary>
internal static class WorkerHost
{
    public static IHost Build(IConfiguration configuration, LogLevel minimumLevel, Action<IServiceCollection>? configure = null)
    {
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true, Configuration = new ConfigurationManager() });
        builder.Configuration.AddConfiguration(configuration);
        var worker = builder.Configuration.GetSection(WorkerOptions.Section).Get<WorkerOptions>() ?? new WorkerOptions();
        builder.Logging.ClearProviders();
        if (worker.LogFormat == "json")
        {
            // One JSON object per line: CloudWatch Logs Insights reads the fields. Messages name users by fingerprint only.
            builder.Logging.AddJsonConsole(o =>
            {
                o.UseUtcTimestamp = true;
                o.TimestampFormat = "yyyy-MM-ddTHH:mm:ss.fffZ";
            });
        }
        else
        {
            builder.Logging.AddSimpleConsole(o =>
            {
                o.SingleLine = true;
                o.TimestampFormat = "HH:mm:ss.fff ";
                o.UseUtcTimestamp = true;
            });
        }

        builder.Services.Configure<ConsoleLoggerOptions>(o => o.LogToStandardErrorThreshold = LogLevel.Trace);
        builder.Logging.SetMinimumLevel(minimumLevel);
        builder.Logging.AddFilter("Microsoft", LogLevel.Warning);
        builder.Logging.AddFilter("System.Net.Http", LogLevel.Warning);
        builder.Services.Configure<HostOptions>(o => o.ShutdownTimeout = TimeSpan.FromSeconds(10));
        if (!string.IsNullOrWhiteSpace(worker.CloudWatchNamespace))
        {
            // First registered, so it starts first and stops last: its final flush sees what the others recorded while stopping.
            var cloudWatchNamespace = worker.CloudWatchNamespace;
            builder.Services.AddHostedService(sp =>
            {
                var time = sp.GetService<TimeProvider>() ?? TimeProvider.System;
                return new CloudWatchMetricsService(
                    new EmfMetricsExporter(cloudWatchNamespace, CloudWatchMetricNames.WorkerService, Console.Out, time),
                    worker.MetricsInterval,
                    time,
                    sp.GetRequiredService<ILogger<CloudWatchMetricsService>>());
            });
        }

        // Native mode: Cognito's native replica replicates users, so nothing captures or applies them; the canary measures its lag.
        var native = builder.Configuration.GetSection(ReplicationOptions.Section).Get<ReplicationOptions>()?.IsNative == true;
        if (native)
        {
            builder.Services.AddNativeCompanion(builder.Configuration);
            NativeDriftInspector.RegistrationFor(builder.Configuration)?.Invoke(builder.Services);
        }
        else
        {
            builder.Services.AddCapture(builder.Configuration);
            builder.Services.AddReconciler(builder.Configuration);
        }

        builder.Services.AddOptions<WorkerOptions>().Bind(builder.Configuration.GetSection(WorkerOptions.Section)).ValidateOnStart();
        builder.Services.AddSingleton<IValidateOptions<WorkerOptions>>(new ListValidator<WorkerOptions>(o => o.Validate()));
        builder.Services.AddHostedService<HealthEndpoint>();
        if (!string.IsNullOrEmpty(worker.OtlpEndpoint))
        {
            builder.Services.AddOpenTelemetry()
                .ConfigureResource(r => r.AddService("identity-replicator-worker"))
                .WithMetrics(m => m
                    .AddMeter(Core.Telemetry.ReplicationMetrics.MeterName)
                    .AddOtlpExporter(o => o.Endpoint = new Uri(worker.OtlpEndpoint)));
        }
        if (!native)
        {
            builder.Services.AddSourceSweep(builder.Configuration);
        }

        builder.Services.AddScheduledDriftReports(builder.Configuration);
        configure?.Invoke(builder.Services);
        var host = builder.Build();
        ValidateSettings(host.Services);
        return host;
    }

    /// <summary>
    /// Checks every setting before anything starts, so a config file with several mistakes gets all of them named at
    /// once (a <see cref="ConfigurationException"/> with every failure of the options validators) instead of a stack
    /// trace for the first.
    /// </summary>
    public static void ValidateSettings(IServiceProvider services)
    {
        try
        {
            services.GetService<IStartupValidator>()?.Validate();
        }
        catch (OptionsValidationException e)
        {
            throw Problems(e.Failures, e);
        }
        catch (AggregateException e)
        {
            throw Problems(e.Flatten().InnerExceptions.OfType<OptionsValidationException>().SelectMany(f => f.Failures), e);
        }

        try
        {
            services.GetRequiredService<AWSCredentials>();
        }
        catch (AmazonClientException e)
        {
            throw new CliUsageException(
                $"No AWS credentials found ({e.Message}). Use the standard chain (AWS_PROFILE, environment variables, SSO, or a role on the container or instance), or Aws:Profile in the config file.",
                e);
        }
    }

    private static ConfigurationException Problems(IEnumerable<string> failures, Exception cause) =>
        new([.. failures.Distinct(StringComparer.Ordinal).Select(ConfigurationProblem.Rule)], cause);
}
