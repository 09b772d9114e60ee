namespace IdentityReplicator.Core.Configuration;

/// <summary>
/// One thing wrong with the settings: the <see cref="Key"/> as written in the configuration (<c>Mirror:FeedBuckets</c>,
/// or an environment variable's name where that is what was read), the <see cref="Value"/> found (null when the key
/// is missing or unknown, so no secret is ever quoted), and the <see cref="Expected"/> form. <see cref="Message"/> is
/// what the operator reads.
/// </summary>
public sealed record ConfigurationProblem
{
    private ConfigurationProblem(string key, string? value, string expected, string message)
    {
        Key = key;
        Value = value;
        Expected = expected;
        Message = message;
    }

    public string Key { get; }

    public string? Value { get; }

    public string Expected { get; }

    public string Message { get; }

    /// <summary>A value that is not of the setting's form: "Mirror:FeedBuckets is 'abc'; it must be a whole number."</summary>
    public static ConfigurationProblem Invalid(string key, string value, string expected) =>
        new(key, value, expected, $"{key} is '{value}'; it must be {expected}.");

    /// <summary>A required setting that has no value.</summary>
    public static ConfigurationProblem Missing(string key, string expected) =>
        new(key, null, expected, $"{key} is not set; it must be {expected}.");

    /// <summary>
    /// A key the tool does not read under a section that is its own (a typo, or a setting of another version): with
    /// the closest known key when one is near, else the keys the section has.
    /// </summary>
    public static ConfigurationProblem Unknown(string key, string what, string? suggestion, IEnumerable<string> known)
    {
        var expected = suggestion is not null ? $"did you mean {suggestion}?" : $"use one of {string.Join(", ", known)}.";
        return new(key, null, expected, $"{key} is not {what} of idrep; {expected}");
    }

    /// <summary>A rule an options validator checks (a range, two settings that must agree); its message names the settings.</summary>
    public static ConfigurationProblem Rule(string message) => new(string.Empty, null, message, message);

    public override string ToString() => Message;
}

/// <summary>
/// The settings (config file, <c>IDREP_</c> environment variables, the Lambda function's environment) cannot be used.
/// Every problem found is listed, each naming its key, the bad value and the accepted form; the command line maps
/// this type to exit code 2, the Lambda function reports it as its init error.
/// </summary>
public sealed class ConfigurationException : Exception
{
    public ConfigurationException(IReadOnlyList<ConfigurationProblem> problems)
        : base(string.Join(Environment.NewLine, problems.Select(p => p.Message)))
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
