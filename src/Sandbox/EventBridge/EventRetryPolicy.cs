namespace IdentityReplicator.Sandbox.EventBridge;

/// <summary>
/// How the local bus retries a delivery its target failed, as an EventBridge rule target's <c>RetryPolicy</c> does:
/// exponential backoff with jitter, until the event is <see cref="MaximumEventAge"/> old or
/// <see cref="MaximumRetryAttempts"/> retries were made, then the event is dropped (EventBridge would send it to the
/// target's dead-letter queue). The waits are compressed (<see cref="FirstDelay"/> doubling up to <see cref="MaxDelay"/>)
/// so a sandbox's lifetime sees many attempts; the age and attempt limits are EventBridge's own.
/// </summary>
public sealed record EventRetryPolicy
{
    /// <summary>EventBridge's default: 24 hours, 185 retries; here waits of about 1 s doubling to 30 s.</summary>
    public static EventRetryPolicy EventBridgeDefault { get; } = new();

    /// <summary>How long after it was received an event may still be tried (EventBridge: 60 s to 24 h, default 24 h).</summary>
    public TimeSpan MaximumEventAge { get; init; } = TimeSpan.FromHours(24);

    /// <summary>How many times a failed delivery is tried again (EventBridge: 0 to 185, default 185).</summary>
    public int MaximumRetryAttempts { get; init; } = 185;

    /// <summary>The ceiling of the first wait; each later ceiling doubles, up to <see cref="MaxDelay"/>.</summary>
    public TimeSpan FirstDelay { get; init; } = TimeSpan.FromSeconds(1);

    public TimeSpan MaxDelay { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>
    /// The wait before retry <paramref name="retry"/> (1 for the first): between half its ceiling and the ceiling
    /// ("equal jitter"), so retries of many events failing at once spread out but always wait.
    /// </summary>
    public TimeSpan Backoff(int retry, Random random)
    {
        var ceiling = Math.Min(MaxDelay.Ticks, FirstDelay.Ticks * (1L << Math.Min(retry - 1, 30)));
        return TimeSpan.FromTicks((ceiling / 2) + (long)(random.NextDouble() * (ceiling / 2)));
    }

    /// <summary>Throws when a limit is outside EventBridge's range (a mistake in the sandbox's own wiring).</summary>
    public EventRetryPolicy Validated()
    {
        if (MaximumEventAge < TimeSpan.FromSeconds(60) || MaximumEventAge > TimeSpan.FromHours(24))
        {
            throw new ArgumentOutOfRangeException(nameof(MaximumEventAge), MaximumEventAge, "EventBridge keeps retrying for 60 seconds to 24 hours (MaximumEventAgeInSeconds 60 to 86400).");
        }

        if (MaximumRetryAttempts is < 0 or > 185)
        {
            throw new ArgumentOutOfRangeException(nameof(MaximumRetryAttempts), MaximumRetryAttempts, "EventBridge retries 0 to 185 times.");
        }

        if (FirstDelay <= TimeSpan.Zero || MaxDelay < FirstDelay)
        {
            throw new ArgumentOutOfRangeException(nameof(FirstDelay), FirstDelay, $"The first wait must be positive and at most MaxDelay ({MaxDelay}).");
        }

        return this;
    }
}
