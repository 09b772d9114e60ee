using IdentityReplicator.Core.Configuration;
using Microsoft.Extensions.Configuration;

namespace IdentityReplicator.Cli.Hosting;

/// <summary>A problem with how idrep was called (exit code 2). The message says what to fix.</summary>
internal sealed class CliUsageException(string message, Exception? inner = null) : Exception(message, inner);

/// <summary>
/// Loads a <c>--config</c> file (JSON) and environment variables prefixed <c>IDREP_</c> (which win), and checks them
/// against idrep's settings (<see cref="ToolSettings"/>) before anything binds them.
/// </summary>
internal static class CliConfiguration
{
    /// <summary>Settings from environment variables only (a container configured by its task definition), unchecked.</summary>
    public static IConfiguration FromEnvironment() => new ConfigurationBuilder().AddEnvironmentVariables("IDREP_").Build();

    /// <summary>The settings, checked: a <see cref="ConfigurationException"/> names every value of the wrong form and every unknown key.</summary>
    public static IConfiguration Load(FileInfo? file)
    {
        var environment = FromEnvironment();
        if (file is null && !environment.GetSection("Replication").GetChildren().Any())
        {
            throw new CliUsageException(
                "No configuration found: no --config file was given and no IDREP_Replication__ environment variables are set. Give it one of two ways:" + Environment.NewLine
                + "  --config FILE    a settings file ('idrep sandbox up' writes one for the local sandbox; docs/configuration.md describes every setting)" + Environment.NewLine
                + "  IDREP_ variables as a container's task definition sets them, e.g. IDREP_Replication__Primary__Region=us-east-1, IDREP_Replication__Primary__UserPoolId, "
                + "IDREP_Replication__Standby__Region and IDREP_Replication__Standby__UserPoolId");
        }

        var configuration = file is null ? environment : FromFile(file);
        ToolSettings.Check(configuration, environment);
        return configuration;
    }

    private static IConfiguration FromFile(FileInfo file)
    {
        if (!file.Exists)
        {
            throw new CliUsageException($"Config file '{file.FullName}' (--config) does not exist; run 'idrep sandbox up' to get one for the local sandbox, or see docs/configuration.md.");
        }

        try
        {
            return new ConfigurationBuilder()
                .AddJsonFile(file.FullName, optional: false, reloadOnChange: false)
                .AddEnvironmentVariables("IDREP_")
                .Build();
        }
        catch (InvalidDataException e)
        {
            throw new CliUsageException($"Config file '{file.FullName}' is not valid JSON: {e.InnerException?.Message ?? e.Message}", e);
        }
    }
}
