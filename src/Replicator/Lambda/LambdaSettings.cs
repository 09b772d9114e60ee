using IdentityReplicator.Core.Configuration;
using IdentityReplicator.Core.Mirror;
using IdentityReplicator.Core.Quotas;
using IdentityReplicator.Replicator.Capture;
using Microsoft.Extensions.Logging;

namespace IdentityReplicator.Replicator.Lambda;

/// <summary>
/// The Replicator function's settings, read from its environment variables (the CDK stack sets them; see
/// docs/configuration.md) and checked before anything is built: a missing variable, a value of the wrong form, an
/// <c>IDREP_</c> variable the function does not read, or a value out of range all fail the init with a
/// <see cref="ConfigurationException"/> that names every one — never a FormatException, nor a setting silently taken
/// as its default.
/// </summary>
internal sealed record LambdaSettings(
    string Region,
    string PrimaryRegion,
    string? StandbyPoolId,
    string? StandbyRegion,
    MirrorOptions Mirror,
    CaptureOptions Capture,
    QuotaOptions Quotas)
{
    /// <summary>The <c>IDREP_</c> variables the function reads.</summary>
    public static readonly IReadOnlyList<string> Variables =
    [
        "IDREP_TABLE_NAME", "IDREP_PRIMARY_POOL_ID", "IDREP_FEED_BUCKETS", "IDREP_USERNAMES_CASE_SENSITIVE", "IDREP_TRIGGER_BUDGET_MS",
        "IDREP_PRIMARY_REGION", "IDREP_QUOTA_SHARE", "IDREP_PRIMARY_SUB_ATTRIBUTE", "IDREP_PRIMARY_SUB_CLAIM", "IDREP_STANDBY_POOL_ID",
        "IDREP_STANDBY_REGION", "IDREP_LOG_LEVEL",
    ];

    /// <param name="environment">Reads one variable.</param>
    /// <param name="variableNames">The names of all variables set, to find unknown <c>IDREP_</c> ones; null skips that check.</param>
    public static LambdaSettings Read(Func<string, string?> environment, IEnumerable<string>? variableNames = null)
    {
        var problems = new List<ConfigurationProblem>();
        foreach (var name in (variableNames ?? []).Where(n => n.StartsWith("IDREP_", StringComparison.Ordinal) && !Variables.Contains(n)).Order(StringComparer.Ordinal))
        {
            problems.Add(ConfigurationProblem.Unknown(string.Empty, name, "a setting", [.. Variables]));
        }

        string Required(string name, string expected)
        {
            if (environment(name) is { Length: > 0 } value)
            {
                return value;
            }

            problems.Add(ConfigurationProblem.Missing(name, $"{expected} (the CDK stack sets it; see docs/configuration.md)"));
            return string.Empty;
        }

        T Optional<T>(string name, T fallback, string form, TryParse<T> parse)
        {
            var text = environment(name);
            if (string.IsNullOrEmpty(text))
            {
                return fallback;
            }

            if (parse(text, out var value))
            {
                return value;
            }

            problems.Add(ConfigurationProblem.Invalid(name, text, form));
            return fallback;
        }

        var region = Required("AWS_REGION", "the function's Region (Lambda sets it)");
        var mirror = new MirrorOptions
        {
            TableName = Required("IDREP_TABLE_NAME", "the mirror table's name"),
            FeedBuckets = Optional<int>("IDREP_FEED_BUCKETS", MirrorOptions.DefaultFeedBuckets, SettingValues.WholeNumber, SettingValues.TryWholeNumber),
        };
        var capture = new CaptureOptions
        {
            PrimaryPoolId = Required("IDREP_PRIMARY_POOL_ID", "the id of the pool whose triggers call the function"),
            UsernamesCaseSensitive = Optional<bool>("IDREP_USERNAMES_CASE_SENSITIVE", false, SettingValues.TrueOrFalse, bool.TryParse),
            TriggerBudget = TimeSpan.FromMilliseconds(Optional<int>("IDREP_TRIGGER_BUDGET_MS", 1500, SettingValues.WholeNumber, SettingValues.TryWholeNumber)),
            PrimarySubAttribute = environment("IDREP_PRIMARY_SUB_ATTRIBUTE") ?? ReplicationOptions.DefaultPrimarySubAttribute,
            PrimarySubClaim = environment("IDREP_PRIMARY_SUB_CLAIM") ?? CaptureOptions.DefaultPrimarySubClaim,
        };
        var quotas = new QuotaOptions { Share = Optional<double>("IDREP_QUOTA_SHARE", 0.1, SettingValues.Number, SettingValues.TryNumber) };
        _ = Optional<LogLevel>("IDREP_LOG_LEVEL", LogLevel.Information, $"one of {string.Join(", ", Enum.GetNames<LogLevel>())}", TryLogLevel);
        if (problems.Count == 0)
        {
            // Ranges are checked once every value has its type (the options' own rules).
            problems.AddRange(mirror.Validate().Concat(capture.Validate()).Concat(quotas.Validate("IDREP_QUOTA_SHARE")).Select(ConfigurationProblem.Rule));
        }

        if (problems.Count > 0)
        {
            throw new ConfigurationException(problems);
        }

        return new LambdaSettings(
            region,
            environment("IDREP_PRIMARY_REGION") is { Length: > 0 } primaryRegion ? primaryRegion : region,
            environment("IDREP_STANDBY_POOL_ID") is { Length: > 0 } standbyPool ? standbyPool : null,
            environment("IDREP_STANDBY_REGION") is { Length: > 0 } standbyAt ? standbyAt : null,
            mirror,
            capture,
            quotas);
    }

    /// <summary>Reads <c>IDREP_LOG_LEVEL</c> by name, in any letter case, as the entry point does.</summary>
    public static bool TryLogLevel(string text, out LogLevel level) =>
        Enum.TryParse(text, ignoreCase: true, out level) && Enum.GetNames<LogLevel>().Contains(text, StringComparer.OrdinalIgnoreCase);

    private delegate bool TryParse<T>(string text, out T value);
}
