using System.Security.Cryptography;
using System.Text;
using IdentityReplicator.Core.Mirror;
using IdentityReplicator.Core.PoolConfiguration;

namespace IdentityReplicator.Reconciler.Configuration;

/// <summary>
/// One configuration object as a hint names it, resolved against what was read: the sections to read for it, the
/// subjects of the planner's changes that belong to it, and a fingerprint of the source's object (so a replayed or
/// duplicated hint whose object has not changed since it was applied costs one read and no write). Pure.
/// </summary>
internal static class ConfigurationObjects
{
    /// <summary>The sections a hint of this kind reads in both pools.</summary>
    public static ConfigurationSections SectionsOf(ConfigObjectKind kind) => kind switch
    {
        ConfigObjectKind.Client => ConfigurationSections.Clients,
        ConfigObjectKind.ResourceServer => ConfigurationSections.ResourceServers,
        ConfigObjectKind.IdentityProvider => ConfigurationSections.IdentityProviders,
        ConfigObjectKind.Pool => ConfigurationSections.Pool,
        ConfigObjectKind.Mfa => ConfigurationSections.Mfa,
        ConfigObjectKind.Schema => ConfigurationSections.Schema,
        ConfigObjectKind.Domain => ConfigurationSections.Domain,
        ConfigObjectKind.LogDelivery => ConfigurationSections.LogDelivery,
        ConfigObjectKind.Risk => ConfigurationSections.Risk,
        _ => ConfigurationSections.Ui | ConfigurationSections.Branding,
    };

    /// <summary>
    /// The object's key as the comparison names it (<c>client web</c>, <c>resourceServer api</c>, <c>pool</c>, …), or
    /// <c>null</c> when a client cannot be named: the source no longer has its id and no mapping remembers it.
    /// </summary>
    public static string? SubjectOf(ConfigurationHint hint, PoolConfiguration source, IReadOnlyList<ClientMapping> mappings) => hint.Kind switch
    {
        ConfigObjectKind.Client => ClientName(hint, source, mappings) is { } name ? "client " + name : null,
        ConfigObjectKind.ResourceServer => "resourceServer " + hint.ObjectId,
        ConfigObjectKind.IdentityProvider => "idp " + hint.ObjectId,
        _ => ConfigurationHint.KindName(hint.Kind),
    };

    /// <summary>
    /// Whether a planned change belongs to the object <paramref name="subject"/> names (a client's secrets belong to it;
    /// branding and terms to the UI; each client's risk configuration to the pool's).
    /// </summary>
    public static bool Belongs(ConfigChange change, string subject) => ObjectOf(change.Subject) == subject;

    /// <summary>
    /// A fingerprint of the source's object (settings as read, secrets by their keyed fingerprints), or of its absence:
    /// the first 16 bytes (hex) of SHA-256. Without <c>Replication:SecretFingerprintKey</c> a confidential client's
    /// fingerprint changes with every process, which costs one more read of the target after a restart, nothing else.
    /// </summary>
    public static string Fingerprint(string subject, PoolConfiguration source)
    {
        var space = subject.IndexOf(' ', StringComparison.Ordinal);
        var key = space < 0 ? string.Empty : subject[(space + 1)..];
        var text = (space < 0 ? subject : subject[..space]) switch
        {
            "client" => source.Clients.TryGetValue(key, out var client)
                ? client.Settings.ToJsonString() + "|" + string.Join(",", client.Secrets.Select(s => s.Fingerprint ?? s.SecretId ?? "?"))
                : null,
            "resourceServer" => source.ResourceServers.GetValueOrDefault(key)?.ToJsonString(),
            "idp" => source.IdentityProviders.GetValueOrDefault(key)?.ToJsonString(),
            "pool" => source.Settings.ToJsonString(),
            "mfa" => source.Mfa?.ToJsonString(),
            "schema" => string.Join("|", source.Schema.Select(a => a.Key + "=" + a.Value.ToJsonString())),
            "domain" => source.Domain + "|" + source.CustomDomain,
            "logDelivery" => source.LogDelivery?.ToJsonString(),
            "risk" => source.Risk?.ToJsonString() + "|" + string.Join("|", source.ClientRisks.Select(a => a.Key + "=" + a.Value.Settings.ToJsonString())),
            _ => source.UiCss + "|" + string.Join("|", source.Brandings.Concat(source.Terms).Select(a => a.Key + "=" + a.Value.Settings.ToJsonString())),
        };
        var hash = SHA256.HashData(Encoding.UTF8.GetBytes(text is null ? "absent" : "present:" + text));
        return Convert.ToHexStringLower(hash.AsSpan(0, 16));
    }

    /// <summary>
    /// The object a planned change's subject belongs to, as a hint names it: a client's secrets are the client's
    /// (<c>secret web</c> → <c>client web</c>), branding and terms the UI's, each client's risk configuration the pool's.
    /// </summary>
    public static string ObjectOf(string subject) =>
        subject.StartsWith("secret ", StringComparison.Ordinal) ? "client " + subject["secret ".Length..]
        : subject.StartsWith("branding ", StringComparison.Ordinal) || subject.StartsWith("terms ", StringComparison.Ordinal) ? "ui"
        : subject.StartsWith("risk ", StringComparison.Ordinal) ? "risk"
        : subject;

    /// <summary>
    /// The hint that names the object (<see cref="ObjectOf"/>'s key), so the sweep applies it exactly as a hint would —
    /// read again under its lease: a client by its id in the source (a client only the target has, by the source id its
    /// mapping remembers, else by name alone), a resource server by identifier, a provider by name; pool-wide objects by kind.
    /// </summary>
    public static ConfigurationHint HintFor(string objectSubject, string sourcePoolId, PoolConfiguration source, IReadOnlyList<ClientMapping> mappings)
    {
        var space = objectSubject.IndexOf(' ', StringComparison.Ordinal);
        var kindName = space < 0 ? objectSubject : objectSubject[..space];
        var key = space < 0 ? null : objectSubject[(space + 1)..];
        var kind = ConfigurationHint.KindOf(kindName) ?? ConfigObjectKind.Ui;
        var id = kind switch
        {
            ConfigObjectKind.Client => source.Clients.GetValueOrDefault(key!)?.ClientId
                ?? mappings.FirstOrDefault(m => m.Name == key && m.SourcePoolId == sourcePoolId)?.SourceClientId,
            ConfigObjectKind.ResourceServer or ConfigObjectKind.IdentityProvider => key,
            _ => null,
        };
        return new ConfigurationHint
        {
            SourcePoolId = sourcePoolId,
            Kind = kind,
            ObjectId = id,
            ObjectName = kind == ConfigObjectKind.Client ? key : null,
            Operation = "ConfigurationSweep",
            Version = 0,
        };
    }

    /// <summary>
    /// The entity the object's hint names, so the sweep takes the same apply lease and parks the same item; a client
    /// nobody can name by id is keyed <c>name:</c> and its name.
    /// </summary>
    public static EntityId EntityOf(string objectSubject, string sourcePoolId, PoolConfiguration source, IReadOnlyList<ClientMapping> mappings)
    {
        var hint = HintFor(objectSubject, sourcePoolId, source, mappings);
        return hint is { Kind: ConfigObjectKind.Client, ObjectId: null }
            ? ConfigurationHint.EntityIdOf(sourcePoolId, ConfigObjectKind.Client, "name:" + hint.ObjectName)
            : hint.Entity;
    }

    private static string? ClientName(ConfigurationHint hint, PoolConfiguration source, IReadOnlyList<ClientMapping> mappings) =>
        source.Clients.Values.FirstOrDefault(c => c.ClientId == hint.ObjectId)?.Name
            ?? mappings.FirstOrDefault(m => m.SourcePoolId == hint.SourcePoolId && m.SourceClientId == hint.ObjectId)?.Name
            ?? hint.ObjectName;
}
