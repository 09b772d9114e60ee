using System.Text.RegularExpressions;

namespace IdentityReplicator.Core.PoolConfiguration;

/// <summary>
/// The configuration-replication settings of the <c>Replication</c> section: Regional values, the standby's prefix
/// domain and the key that fingerprints client secrets.
/// </summary>
public sealed class ConfigurationReplicationOptions
{
    public const string Section = "Replication";

    /// <summary>
    /// Source value → target value for Regional settings (trigger ARNs, SES identities and configuration sets, SNS
    /// external ids, KMS keys, …). A list of pairs, not a dictionary: the values are mostly ARNs, and a ':' in a
    /// configuration key splits it into sections.
    /// </summary>
    public List<RegionalValue> RegionalValues { get; set; } = [];

    /// <summary>Whether an ARN in the source Region maps to the same ARN in the target Region when <see cref="RegionalValues"/> does not name it.</summary>
    public bool SubstituteArnRegion { get; set; } = true;

    /// <summary>The prefix domain to create in the standby when the primary has one (prefix domains are unique per Region).</summary>
    public string? StandbyDomainPrefix { get; set; }

    /// <summary>
    /// Base64 of at least 32 random bytes that key the fingerprints of client secrets. Empty: a key per process, so
    /// fingerprints compare within one run only. Keep it in a secret store, not in a plain file.
    /// </summary>
    public string? SecretFingerprintKey { get; set; }

    /// <summary>The shortest configuration sweep interval (other than 0, off): a sweep costs a few dozen UserPool* calls, paced at 5/s per pool.</summary>
    public static readonly TimeSpan MinimumSweepInterval = TimeSpan.FromSeconds(30);

    /// <summary>The longest configuration sweep interval.</summary>
    public static readonly TimeSpan MaximumSweepInterval = TimeSpan.FromHours(24);

    /// <summary>
    /// How often the worker compares the whole configuration of the two pools and applies the difference (catching
    /// what capture missed). 0 turns it off; otherwise between 30 seconds and 24 hours. Default 5 minutes.
    /// </summary>
    public TimeSpan ConfigurationSweepInterval { get; set; } = TimeSpan.FromMinutes(5);

    public RegionalValueMap MapFor(string sourceRegion, string targetRegion) => new(
        sourceRegion,
        targetRegion,
        RegionalValues.GroupBy(v => v.Source, StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.Last().Target, StringComparer.Ordinal),
        SubstituteArnRegion);

    public SecretFingerprinter Fingerprinter() =>
        string.IsNullOrEmpty(SecretFingerprintKey) ? SecretFingerprinter.Ephemeral() : new SecretFingerprinter(Convert.FromBase64String(SecretFingerprintKey));

    /// <summary>Checks the values and names the offending one and what it must be.</summary>
    public IEnumerable<string> Validate()
    {
        foreach (var (value, index) in RegionalValues.Select((v, i) => (v, i)))
        {
            if (string.IsNullOrWhiteSpace(value.Source) || string.IsNullOrWhiteSpace(value.Target))
            {
                yield return $"{Section}:RegionalValues:{index} has an entry '{value.Source}' → '{value.Target}'; both Source and Target must be non-empty.";
            }
        }

        foreach (var duplicate in RegionalValues.GroupBy(v => v.Source, StringComparer.Ordinal).Where(g => g.Count() > 1))
        {
            yield return $"{Section}:RegionalValues names '{duplicate.Key}' {duplicate.Count()} times; give each source value one target.";
        }

        if (ConfigurationSweepInterval != TimeSpan.Zero && (ConfigurationSweepInterval < MinimumSweepInterval || ConfigurationSweepInterval > MaximumSweepInterval))
        {
            yield return $"{Section}:ConfigurationSweepInterval is {ConfigurationSweepInterval}; use 00:00:00 (off) or a value from {MinimumSweepInterval} to {MaximumSweepInterval}.";
        }

        if (!string.IsNullOrEmpty(StandbyDomainPrefix) && !Regex.IsMatch(StandbyDomainPrefix, "^[a-z0-9](?:[a-z0-9\\-]{0,61}[a-z0-9])?$"))
        {
            yield return $"{Section}:StandbyDomainPrefix is '{StandbyDomainPrefix}'; a Cognito prefix domain is 1–63 lower-case letters, digits and hyphens, not starting or ending with a hyphen.";
        }

        if (!string.IsNullOrEmpty(SecretFingerprintKey))
        {
            var length = 0;
            var buffer = new byte[SecretFingerprintKey.Length];
            if (!Convert.TryFromBase64String(SecretFingerprintKey, buffer, out length) || length < 32)
            {
                yield return $"{Section}:SecretFingerprintKey must be base64 of at least 32 bytes (e.g. 'openssl rand -base64 32'); this one is {(length == 0 ? "not base64" : $"{length} bytes")}.";
            }
        }
    }
}

/// <summary>One entry of <see cref="ConfigurationReplicationOptions.RegionalValues"/>: what a source Regional value becomes in the target.</summary>
public sealed class RegionalValue
{
    public string Source { get; set; } = string.Empty;

    public string Target { get; set; } = string.Empty;
}
