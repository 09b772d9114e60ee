using System.Collections.Immutable;
using System.Globalization;
using System.Text.Json.Nodes;

namespace IdentityReplicator.Core.PoolConfiguration;

/// <summary>
/// Compares a source pool's configuration with a target's and names every difference by subject and path
/// (<c>client web/CallbackURLs</c>, <c>pool PasswordPolicy/MinimumLength</c>, <c>resourceServer api/Scopes</c>,
/// <c>secret m2m</c>, <c>idp Google/ProviderDetails/client_id</c>). Regional values are compared as mapped and shown as
/// mapped, never as drift; an unmapped one is reported. Secrets are compared by fingerprint and never shown.
/// </summary>
public static class ConfigurationComparer
{
    public static ImmutableArray<ConfigFinding> Compare(PoolConfiguration source, PoolConfiguration target, RegionalValueMap map)
    {
        var findings = new List<ConfigFinding>();
        ComparePool(source, target, map, findings);
        CompareSchema(source, target, findings);
        CompareClients(source, target, map, findings);
        CompareKeyed("resourceServer", source.ResourceServers, target.ResourceServers, findings);
        CompareKeyed("idp", source.IdentityProviders, target.IdentityProviders, findings);
        AttachmentComparison.Compare(source, target, map, findings);
        return [.. findings];
    }

    /// <summary>How a pool path reads in a report: the <c>Policies</c> wrapper is left out (<c>PasswordPolicy/MinimumLength</c>).</summary>
    public static string DisplayPoolPath(string path) => path.StartsWith("Policies/", StringComparison.Ordinal) ? path["Policies/".Length..] : path;

    private static void ComparePool(PoolConfiguration source, PoolConfiguration target, RegionalValueMap map, List<ConfigFinding> findings)
    {
        var desired = RegionalProjection.Desired(source.Settings, target.Settings, RegionalSettings.Pool, map, "pool", findings);
        foreach (var name in PoolConfiguration.ReportOnlySettings)
        {
            if (!JsonSettings.SameValue(desired[name], target.Settings[name]) && name != "PoolName")
            {
                findings.Add(new ConfigFinding(ConfigFindingKind.ReportOnly, "pool", name, "differs; replication never changes a pool's plan or threat protection: change it in the target if you mean to"));
            }

            JsonSettings.Put(desired, name, target.Settings[name]?.DeepClone());
        }

        foreach (var path in JsonSettings.Differences(desired, target.Settings))
        {
            findings.Add(new ConfigFinding(ConfigFindingKind.Differs, "pool", DisplayPoolPath(path), Describe(path)));
        }

        if (source.Mfa is not null && target.Mfa is not null)
        {
            var mfa = RegionalProjection.Desired(source.Mfa, target.Mfa, RegionalSettings.Mfa, map, "mfa", findings);
            findings.AddRange(JsonSettings.Differences(mfa, target.Mfa).Select(p => new ConfigFinding(ConfigFindingKind.Differs, "mfa", p, Describe(p))));
        }

        if (source.Domain is not null && target.Domain is null)
        {
            findings.Add(new ConfigFinding(ConfigFindingKind.Missing, "domain", string.Empty, "the source has a prefix domain and the target none; set Replication:StandbyDomainPrefix"));
        }

        if (source.CustomDomain != target.CustomDomain)
        {
            findings.Add(new ConfigFinding(ConfigFindingKind.ReportOnly, "domain", "CustomDomain", "differs; a custom domain needs its own ACM certificate in us-east-1 and DNS: create it by hand"));
        }

        if (!string.Equals(source.UiCss, target.UiCss, StringComparison.Ordinal))
        {
            findings.Add(new ConfigFinding(ConfigFindingKind.Differs, "ui", "CSS", "differs"));
        }
    }

    private static void CompareSchema(PoolConfiguration source, PoolConfiguration target, List<ConfigFinding> findings)
    {
        foreach (var (name, attribute) in source.Schema)
        {
            if (!target.Schema.TryGetValue(name, out var other))
            {
                var custom = name.StartsWith("custom:", StringComparison.Ordinal);
                findings.Add(new ConfigFinding(
                    custom ? ConfigFindingKind.Missing : ConfigFindingKind.ReportOnly,
                    "schema",
                    name,
                    custom ? "missing in the target" : "a standard attribute the target's schema lacks; it cannot be added"));
            }
            else if (!JsonSettings.SameValue(attribute, other))
            {
                var paths = string.Join(", ", JsonSettings.Differences(attribute, other));
                findings.Add(new ConfigFinding(ConfigFindingKind.ReportOnly, "schema", name, $"{paths} differ; an attribute cannot change once a pool has it"));
            }
        }

        foreach (var name in target.Schema.Keys.Where(n => !source.Schema.ContainsKey(n)))
        {
            findings.Add(new ConfigFinding(ConfigFindingKind.ReportOnly, "schema", name, "in the target only; attributes cannot be removed from a pool"));
        }
    }

    private static void CompareClients(PoolConfiguration source, PoolConfiguration target, RegionalValueMap map, List<ConfigFinding> findings)
    {
        foreach (var (pool, name) in source.DuplicateClientNames.Select(n => ("source", n)).Concat(target.DuplicateClientNames.Select(n => ("target", n))))
        {
            findings.Add(new ConfigFinding(ConfigFindingKind.DuplicateName, "client " + name, string.Empty, $"the {pool} pool has more than one client named '{name}'; clients are matched by name, so rename all but one"));
        }

        var skip = source.DuplicateClientNames.Concat(target.DuplicateClientNames).ToHashSet(StringComparer.Ordinal);
        foreach (var (name, client) in source.Clients.Where(c => !skip.Contains(c.Key)))
        {
            ReportUnreadable(name, "source", client, findings);
            if (!target.Clients.TryGetValue(name, out var other))
            {
                findings.Add(new ConfigFinding(ConfigFindingKind.Missing, "client " + name, string.Empty, "missing in the target"));
                continue;
            }

            ReportUnreadable(name, "target", other, findings);
            var desired = RegionalProjection.Desired(client.Settings, other.Settings, RegionalSettings.Client, map, "client " + name, findings);
            findings.AddRange(JsonSettings.Differences(desired, other.Settings).Select(p => new ConfigFinding(ConfigFindingKind.Differs, "client " + name, p, Describe(p))));

            var wanted = client.Secrets.Where(s => s.IsReadable).Select(s => s.Fingerprint!).ToHashSet(StringComparer.Ordinal);
            var held = other.Secrets.Where(s => s.IsReadable).Select(s => s.Fingerprint!).ToHashSet(StringComparer.Ordinal);
            if (!wanted.SetEquals(held))
            {
                var matched = wanted.Count(held.Contains);
                findings.Add(new ConfigFinding(
                    ConfigFindingKind.SecretDiffers,
                    "secret " + name,
                    string.Empty,
                    $"{matched} of the source's {wanted.Count} readable secrets are in the target, which holds {held.Count} readable ones"));
            }
        }

        foreach (var name in target.Clients.Keys.Where(n => !skip.Contains(n) && !source.Clients.ContainsKey(n)))
        {
            findings.Add(new ConfigFinding(ConfigFindingKind.Extra, "client " + name, string.Empty, "in the target only"));
        }
    }

    private static void ReportUnreadable(string name, string pool, ClientConfiguration client, List<ConfigFinding> findings)
    {
        foreach (var secret in client.Secrets.Where(s => !s.IsReadable))
        {
            var created = secret.CreatedAt?.ToString("u", CultureInfo.InvariantCulture) ?? "an unknown date";
            findings.Add(new ConfigFinding(
                ConfigFindingKind.SecretUnreadable,
                "secret " + name,
                secret.SecretId ?? string.Empty,
                $"the {pool} pool's secret {secret.SecretId} (created {created}) cannot be read, so it cannot be copied; set one new custom secret in both pools (AddUserPoolClientSecret with the same ClientSecret in each), then delete this one"));
        }
    }

    private static void CompareKeyed(string kind, ImmutableSortedDictionary<string, JsonObject> source, ImmutableSortedDictionary<string, JsonObject> target, List<ConfigFinding> findings)
    {
        foreach (var (key, value) in source)
        {
            if (!target.TryGetValue(key, out var other))
            {
                findings.Add(new ConfigFinding(ConfigFindingKind.Missing, $"{kind} {key}", string.Empty, "missing in the target"));
                continue;
            }

            findings.AddRange(JsonSettings.Differences(value, other).Select(p => new ConfigFinding(ConfigFindingKind.Differs, $"{kind} {key}", p, Describe(p))));
        }

        foreach (var key in target.Keys.Where(k => !source.ContainsKey(k)))
        {
            findings.Add(new ConfigFinding(ConfigFindingKind.Extra, $"{kind} {key}", string.Empty, "in the target only"));
        }
    }

    private static string Describe(string path) => JsonSettings.IsSecretPath(path) ? "differs (a secret: value not shown)" : "differs";
}
