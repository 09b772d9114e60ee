using System.Collections.Immutable;
using System.Text.Json.Nodes;

namespace IdentityReplicator.Core.PoolConfiguration;

/// <summary>
/// What the target's configuration should be once the source's is applied: the source's objects and settings with
/// Regional values mapped, the target's own ids and report-only settings kept, unmapped Regional values left as the
/// target has them, custom attributes added (never removed or changed), clients with duplicate names left alone.
/// The apply engine performs the difference between this and the target; the comparer finds no drift between it and
/// the source (a property test holds it to that).
/// </summary>
public static class ConfigurationProjection
{
    /// <summary>The id a client gets before the target has created it.</summary>
    public const string NewClientIdPrefix = "new:";

    public static PoolConfiguration Project(PoolConfiguration source, PoolConfiguration target, RegionalValueMap map)
    {
        var settings = RegionalProjection.Desired(source.Settings, target.Settings, RegionalSettings.Pool, map, "pool", null);
        foreach (var name in PoolConfiguration.ReportOnlySettings)
        {
            JsonSettings.Put(settings, name, target.Settings[name]?.DeepClone());
        }

        var schema = target.Schema;
        foreach (var (name, attribute) in source.Schema)
        {
            if (!schema.ContainsKey(name) && name.StartsWith("custom:", StringComparison.Ordinal))
            {
                schema = schema.Add(name, (JsonObject)attribute.DeepClone());
            }
        }

        var clients = ImmutableSortedDictionary.CreateBuilder<string, ClientConfiguration>(StringComparer.Ordinal);
        foreach (var (name, client) in source.Clients)
        {
            if (target.DuplicateClientNames.Contains(name))
            {
                continue;
            }

            var existing = target.Clients.GetValueOrDefault(name);
            clients[name] = new ClientConfiguration(
                name,
                existing?.ClientId ?? NewClientIdPrefix + name,
                RegionalProjection.Desired(client.Settings, existing?.Settings, RegionalSettings.Client, map, "client " + name, null),
                [.. client.Secrets.Where(s => s.IsReadable).Select(s => new ClientSecretState(null, null, s.Fingerprint))]);
        }

        foreach (var (name, client) in target.Clients)
        {
            if (source.DuplicateClientNames.Contains(name))
            {
                clients[name] = client;
            }
        }

        var projected = target with
        {
            Settings = settings,
            Schema = schema,
            Mfa = source.Mfa is null ? target.Mfa : RegionalProjection.Desired(source.Mfa, target.Mfa, RegionalSettings.Mfa, map, "mfa", null),
            Domain = target.Domain ?? source.Domain,
            UiCss = source.UiCss,
            Clients = clients.ToImmutable(),
            ResourceServers = source.ResourceServers.ToImmutableSortedDictionary(e => e.Key, e => (JsonObject)e.Value.DeepClone(), StringComparer.Ordinal),
            IdentityProviders = source.IdentityProviders.ToImmutableSortedDictionary(e => e.Key, e => (JsonObject)e.Value.DeepClone(), StringComparer.Ordinal),
        };
        return AttachmentComparison.Project(source, target, map, projected);
    }
}
