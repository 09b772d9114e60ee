using Microsoft.Extensions.Configuration;

namespace IdentityReplicator.Cli.Hosting;

/// <summary>A problem with how idrep was called or configured (exit code 2). The message says what to fix.</summary>
public sealed class CliUsageException(string message, Exception? inner = null) : Exception(message, inner);

/// <summary>Loads a <c>--config</c> file (JSON) and environment variables prefixed <c>IDREP_</c> (which win).</summary>
public static class CliConfiguration
{
    /// <summary>Settings from environment variables only (a container configured by its task definition).</summary>
    public static IConfiguration FromEnvironment() => new ConfigurationBuilder().AddEnvironmentVariables("IDREP_").Build();

    public static IConfiguration Load(FileInfo? file)
    {
        if (file is null)
        {
            return FromEnvironment();
        }

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
