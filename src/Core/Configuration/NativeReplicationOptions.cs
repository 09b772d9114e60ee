namespace IdentityReplicator.Core.Configuration;

/// <summary>The values of <c>Replication:Mode</c>.</summary>
public static class ReplicationModes
{
    /// <summary>IdentityReplicator replicates users to a standby pool of its own (the default).</summary>
    public const string Replicator = "replicator";

    /// <summary>
    /// Cognito's native multi-Region replication replicates users; the worker is its companion (canary lag, drift
    /// between the pool's two Regional endpoints). <c>Replication:Standby</c> names the same pool id in the secondary Region.
    /// </summary>
    public const string Native = "native";

    public static readonly IReadOnlyList<string> All = [Replicator, Native];
}

/// <summary>
/// The companion of a Cognito native replica (<c>Replication:Native</c>, read when <c>Replication:Mode</c> is
/// <c>native</c>): the canary that measures the replica's lag. The canary is one user of the primary (created disabled,
/// without a message, on first use) whose custom attribute <see cref="CanaryAttribute"/> is set to the time of writing
/// every <see cref="CanaryInterval"/> and read at the secondary Region's endpoint every <see cref="CanaryPollInterval"/>.
/// </summary>
public sealed class NativeReplicationOptions
{
    /// <summary>The canary's username in a pool that signs in by username.</summary>
    public string CanaryUsername { get; set; } = "idrep-canary";

    /// <summary>The canary's email: its username in a pool that signs in by email (a reserved domain nobody receives mail at).</summary>
    public string CanaryEmail { get; set; } = "idrep-canary@canary.invalid";

    /// <summary>The custom attribute the canary writes (added to the primary's schema when missing: a mutable string).</summary>
    public string CanaryAttribute { get; set; } = "custom:idrep_canary";

    /// <summary>How often the canary is written in the primary (one UserUpdate call each).</summary>
    public TimeSpan CanaryInterval { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>How often the secondary is read (one UserRead call each): the resolution of the measured lag.</summary>
    public TimeSpan CanaryPollInterval { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>How long a written canary may take to arrive at the secondary before the replica is reported stale (health: not ready).</summary>
    public TimeSpan StaleAfter { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>How often the worker brings the replica's Regional settings (triggers, email, SMS, log delivery) in step; zero turns it off.</summary>
    public TimeSpan SettingsInterval { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>Whether the worker writes the replica's Regional settings (true) or only reports what differs (false).</summary>
    public bool ApplySettings { get; set; } = true;

    internal IEnumerable<string> Validate(string path)
    {
        if (SettingsInterval != TimeSpan.Zero && (SettingsInterval < TimeSpan.FromSeconds(30) || SettingsInterval > TimeSpan.FromHours(24)))
        {
            yield return $"{path}:SettingsInterval is {SettingsInterval}; it must be from 00:00:30 to 1.00:00:00, or 00:00:00 to turn the Regional-settings pass off (default 00:05:00).";
        }

        if (!CanaryAttribute.StartsWith("custom:", StringComparison.Ordinal) || CanaryAttribute.Length is <= 7 or > 27)
        {
            yield return $"{path}:CanaryAttribute is '{CanaryAttribute}'; it must be a custom attribute 'custom:<name>' with a name of 1 to 20 characters (default 'custom:idrep_canary').";
        }

        if (string.IsNullOrWhiteSpace(CanaryUsername) || string.IsNullOrWhiteSpace(CanaryEmail) || !CanaryEmail.Contains('@', StringComparison.Ordinal))
        {
            yield return $"{path}:CanaryUsername is '{CanaryUsername}' and CanaryEmail '{CanaryEmail}'; both must be set, the email with an '@'.";
        }

        if (CanaryPollInterval < TimeSpan.FromMilliseconds(50) || CanaryPollInterval > TimeSpan.FromMinutes(5))
        {
            yield return $"{path}:CanaryPollInterval is {CanaryPollInterval}; it must be from 00:00:00.05 to 00:05:00 (default 00:00:01).";
        }

        if (CanaryInterval < CanaryPollInterval || CanaryInterval > TimeSpan.FromHours(1))
        {
            yield return $"{path}:CanaryInterval is {CanaryInterval}; it must be at least CanaryPollInterval ({CanaryPollInterval}) and at most 01:00:00 (default 00:00:30).";
        }

        if (StaleAfter <= CanaryPollInterval)
        {
            yield return $"{path}:StaleAfter is {StaleAfter}; it must be longer than CanaryPollInterval ({CanaryPollInterval}) (default 00:05:00).";
        }
    }
}
