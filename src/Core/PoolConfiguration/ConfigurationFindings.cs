namespace IdentityReplicator.Core.PoolConfiguration;

/// <summary>What a comparison found about one object or setting.</summary>
public enum ConfigFindingKind
{
    /// <summary>The object or setting is in the source and not in the target (repair creates it).</summary>
    Missing,

    /// <summary>The object is in the target only (repair deletes it).</summary>
    Extra,

    /// <summary>The setting differs (repair sets the source's value).</summary>
    Differs,

    /// <summary>The client's readable secrets differ (repair copies the source's values).</summary>
    SecretDiffers,

    /// <summary>A secret whose value cannot be read (reported by id and date; rotate it with a value both pools get).</summary>
    SecretUnreadable,

    /// <summary>A Regional value with no target value (reported, never copied; add it to Replication:RegionalValues).</summary>
    Unmapped,

    /// <summary>Two or more clients share a name in a pool (reported, never guessed; rename one).</summary>
    DuplicateName,

    /// <summary>A difference replication reports and never changes (a plan, threat protection, an attribute's type, a custom domain).</summary>
    ReportOnly,

    /// <summary>A Regional value shown as mapped (source value → the target's), never as drift.</summary>
    Mapped,
}

/// <summary>
/// One finding, named by subject and path (<c>client web</c> + <c>CallbackURLs</c>, <c>pool</c> +
/// <c>PasswordPolicy/MinimumLength</c>). <see cref="Detail"/> never holds a secret or a secret-bearing value.
/// </summary>
public sealed record ConfigFinding(ConfigFindingKind Kind, string Subject, string Path, string Detail)
{
    /// <summary>Drift: a difference repair fixes. The other kinds are reports.</summary>
    public bool IsDrift => Kind is ConfigFindingKind.Missing or ConfigFindingKind.Extra or ConfigFindingKind.Differs or ConfigFindingKind.SecretDiffers;

    /// <summary><c>client web/CallbackURLs</c>, or the subject alone for a whole object.</summary>
    public string Name => Path.Length == 0 ? Subject : $"{Subject}/{Path}";

    public override string ToString() => $"{Kind} {Name}: {Detail}";
}
