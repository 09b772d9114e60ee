namespace IdentityReplicator.Core.Mirror;

/// <summary>What asking for an entity's apply lease came to.</summary>
public sealed record ApplyLeaseGrant
{
    /// <summary>Another worker holds the lease and it has not run out.</summary>
    public static ApplyLeaseGrant Refused { get; } = new() { Taken = false };

    /// <summary>Whether the asking holder holds the lease now.</summary>
    public required bool Taken { get; init; }

    /// <summary>What is recorded as applied, read in the write that took the lease (<c>null</c> when nothing is, or when refused).</summary>
    public AppliedState? Applied { get; init; }

    /// <summary>
    /// When refused, who holds the lease (read after the refusal; <c>null</c> when it was freed meanwhile or is not
    /// known): a holder known to be dead may be taken over at once.
    /// </summary>
    public string? Holder { get; init; }
}

/// <summary>What recording an applied version under an apply lease came to.</summary>
public enum AppliedRecord
{
    /// <summary>Recorded, and the lease released.</summary>
    Recorded,

    /// <summary>Newer versions were recorded already and are kept; the lease is released.</summary>
    NewerKept,

    /// <summary>
    /// The holder no longer held the lease (it ran out and another worker took it): nothing was written. Calls it made
    /// after that may have landed among the other worker's.
    /// </summary>
    LeaseLost,
}
