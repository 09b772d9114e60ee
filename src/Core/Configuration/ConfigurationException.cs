namespace IdentityReplicator.Core.Configuration;

/// <summary>
/// The settings (config file, <c>IDREP_</c> environment variables, the Lambda function's environment) cannot be used.
/// Every problem found is listed, each naming its key, the bad value and the accepted form; the command line maps
/// this type to exit code 2, the Lambda function reports it as its init error.
/// </summary>
public sealed class ConfigurationException : Exception
{
    public ConfigurationException(IReadOnlyList<ConfigurationProblem> problems, Exception? innerException = null)
        : base(string.Join(Environment.NewLine, problems.Select(p => p.Message)), innerException)
    {
        ArgumentOutOfRangeException.ThrowIfZero(problems.Count);
        Problems = problems;
    }

    public ConfigurationException(ConfigurationProblem problem)
        : this([problem])
    {
    }

    public ConfigurationException()
        : this(ConfigurationProblem.Rule("The settings cannot be used."))
    {
    }

    public ConfigurationException(string message)
        : this(ConfigurationProblem.Rule(message))
    {
    }

    public ConfigurationException(string message, Exception innerException)
        : base(message, innerException)
    {
        Problems = [ConfigurationProblem.Rule(message)];
    }

    public IReadOnlyList<ConfigurationProblem> Problems { get; }

    /// <summary>The first problem's key.</summary>
    public string Key => Problems[0].Key;

    /// <summary>The first problem's value (null when the key was missing or unknown).</summary>
    public string? Value => Problems[0].Value;

    /// <summary>The first problem's accepted form.</summary>
    public string Expected => Problems[0].Expected;
}
