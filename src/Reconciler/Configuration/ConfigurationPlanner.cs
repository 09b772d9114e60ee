using System.Collections.Immutable;
using System.Text.Json.Nodes;
using IdentityReplicator.Core.PoolConfiguration;

namespace IdentityReplicator.Reconciler.Configuration;

/// <summary>
/// Plans a configuration apply: the writes that turn the target into <see cref="ConfigurationProjection.Project"/>'s
/// result, in dependency order — custom attributes first (clients may read and write them), then resource servers and
/// identity providers (clients name their scopes and providers), then clients and their secrets, then deletions of
/// what the source no longer has (clients before the scopes and providers they named), then the pool's settings, MFA,
/// domain and UI. What to write is what the comparison of the projection with the target calls drift, so an apply
/// that succeeds leaves none. Each write carries the whole object (Update operations reset what they are not given).
/// Pure: no I/O.
/// </summary>
internal static class ConfigurationPlanner
{
    public static ImmutableArray<ConfigChange> Plan(PoolConfiguration source, PoolConfiguration target, RegionalValueMap map, string? standbyDomainPrefix = null)
    {
        var projection = ConfigurationProjection.Project(source, target, map);
        var drift = ConfigurationComparer.Compare(projection, target, new RegionalValueMap(target.Region, target.Region)).Where(f => f.IsDrift).ToList();
        var changes = new List<ConfigChange>();
        var pool = target.UserPoolId;

        var attributes = drift.Where(f => f.Subject == "schema" && f.Kind == ConfigFindingKind.Missing).Select(f => projection.Schema[f.Path]).ToList();
        if (attributes.Count > 0)
        {
            changes.Add(new ConfigChange(ConfigChangeKind.AddCustomAttributes, "schema", new JsonObject { ["CustomAttributes"] = new JsonArray([.. attributes.Select(CustomAttribute)]) }));
        }

        foreach (var (kind, key) in Objects(drift, "resourceServer "))
        {
            if (kind != ConfigFindingKind.Extra)
            {
                changes.Add(new ConfigChange(
                    kind == ConfigFindingKind.Missing ? ConfigChangeKind.CreateResourceServer : ConfigChangeKind.UpdateResourceServer,
                    "resourceServer " + key,
                    WithPool(projection.ResourceServers[key], pool),
                    key));
            }
        }

        foreach (var (kind, key) in Objects(drift, "idp "))
        {
            if (kind != ConfigFindingKind.Extra)
            {
                var request = WithPool(projection.IdentityProviders[key], pool);
                if (kind != ConfigFindingKind.Missing)
                {
                    request.Remove("ProviderType");
                }

                changes.Add(new ConfigChange(kind == ConfigFindingKind.Missing ? ConfigChangeKind.CreateIdentityProvider : ConfigChangeKind.UpdateIdentityProvider, "idp " + key, request, key));
            }
        }

        var clients = Objects(drift, "client ").ToList();
        foreach (var (kind, name) in clients.Where(c => c.Kind != ConfigFindingKind.Extra))
        {
            var desired = projection.Clients[name];
            var request = WithPool(desired.Settings, pool);
            if (kind == ConfigFindingKind.Missing)
            {
                request.Remove("ClientId");
                var fingerprints = desired.Secrets.Select(s => s.Fingerprint!).ToList();
                if (source.Clients[name].IsConfidential)
                {
                    // The value is read from the source when the client is created; without a readable one, Cognito generates one (reported as unreadable).
                    request["GenerateSecret"] = true;
                }

                changes.Add(new ConfigChange(ConfigChangeKind.CreateClient, "client " + name, request, name, fingerprints.FirstOrDefault()));
                changes.AddRange(fingerprints.Skip(1).Select(f => new ConfigChange(ConfigChangeKind.AddClientSecret, "secret " + name, null, name, f)));
            }
            else
            {
                request["ClientId"] = target.Clients[name].ClientId;
                changes.Add(new ConfigChange(ConfigChangeKind.UpdateClient, "client " + name, request, name));
            }
        }

        foreach (var finding in drift.Where(f => f.Kind == ConfigFindingKind.SecretDiffers && f.Subject.StartsWith("secret ", StringComparison.Ordinal)))
        {
            var name = finding.Subject["secret ".Length..];
            if (target.Clients.ContainsKey(name))
            {
                changes.AddRange(SecretChanges(name, projection.Clients[name], target.Clients[name]));
            }
        }

        changes.AddRange(AttachmentPlanner.CreatesAndUpdates(drift, projection, target));
        changes.AddRange(AttachmentPlanner.Deletions(drift, target));
        foreach (var (_, name) in clients.Where(c => c.Kind == ConfigFindingKind.Extra))
        {
            changes.Add(new ConfigChange(ConfigChangeKind.DeleteClient, "client " + name, null, target.Clients[name].ClientId));
        }

        changes.AddRange(Objects(drift, "resourceServer ").Where(o => o.Kind == ConfigFindingKind.Extra).Select(o => new ConfigChange(ConfigChangeKind.DeleteResourceServer, "resourceServer " + o.Key, null, o.Key)));
        changes.AddRange(Objects(drift, "idp ").Where(o => o.Kind == ConfigFindingKind.Extra).Select(o => new ConfigChange(ConfigChangeKind.DeleteIdentityProvider, "idp " + o.Key, null, o.Key)));

        if (drift.Any(f => f.Subject == "pool"))
        {
            changes.Add(new ConfigChange(ConfigChangeKind.UpdatePool, "pool", WithPool(projection.Settings, pool)));
        }

        if (drift.Any(f => f.Subject == "mfa") && projection.Mfa is not null)
        {
            changes.Add(new ConfigChange(ConfigChangeKind.SetMfaConfig, "mfa", WithPool(projection.Mfa, pool)));
        }

        if (drift.Any(f => f.Subject == "domain" && f.Kind == ConfigFindingKind.Missing) && (standbyDomainPrefix ?? source.Domain) is { } prefix)
        {
            changes.Add(new ConfigChange(ConfigChangeKind.CreateDomain, "domain", null, prefix));
        }

        if (drift.Any(f => f.Subject == "ui"))
        {
            changes.Add(new ConfigChange(ConfigChangeKind.SetUiCss, "ui", projection.UiCss is null ? [] : new JsonObject { ["CSS"] = projection.UiCss }));
        }

        changes.AddRange(AttachmentPlanner.PoolWide(drift, projection));
        return [.. changes];
    }

    /// <summary>
    /// Makes the target client hold exactly the source's readable secrets: a missing one is added with the source's
    /// value, one the source dropped is deleted. A client holds at most two, so when both slots are taken one the source
    /// dropped goes first. Secrets nobody can read are left alone (they are reported).
    /// </summary>
    private static IEnumerable<ConfigChange> SecretChanges(string name, ClientConfiguration desired, ClientConfiguration held)
    {
        var wanted = desired.Secrets.Select(s => s.Fingerprint!).Distinct(StringComparer.Ordinal).ToList();
        var dropped = new Queue<ClientSecretState>(held.Secrets.Where(s => s.IsReadable && !wanted.Contains(s.Fingerprint!, StringComparer.Ordinal)));
        var slots = held.Secrets.Length;
        foreach (var fingerprint in wanted.Where(f => !held.Secrets.Any(s => s.Fingerprint == f)))
        {
            if (slots >= 2 && dropped.TryDequeue(out var first))
            {
                yield return new ConfigChange(ConfigChangeKind.DeleteClientSecret, "secret " + name, null, first.SecretId);
                slots--;
            }

            yield return new ConfigChange(ConfigChangeKind.AddClientSecret, "secret " + name, null, name, fingerprint);
            slots++;
        }

        foreach (var secret in dropped)
        {
            yield return new ConfigChange(ConfigChangeKind.DeleteClientSecret, "secret " + name, null, secret.SecretId);
        }
    }

    /// <summary>The objects of one kind the drift names, once each, with the finding kind that decides the write.</summary>
    private static IEnumerable<(ConfigFindingKind Kind, string Key)> Objects(List<ConfigFinding> drift, string prefix) =>
        drift.Where(f => f.Subject.StartsWith(prefix, StringComparison.Ordinal) && f.Kind != ConfigFindingKind.SecretDiffers)
            .GroupBy(f => f.Subject[prefix.Length..], StringComparer.Ordinal)
            .Select(g => (g.Any(f => f.Kind == ConfigFindingKind.Missing) ? ConfigFindingKind.Missing : g.Any(f => f.Kind == ConfigFindingKind.Extra) ? ConfigFindingKind.Extra : ConfigFindingKind.Differs, g.Key));

    private static JsonObject WithPool(JsonObject settings, string poolId)
    {
        var request = (JsonObject)settings.DeepClone();
        request["UserPoolId"] = poolId;
        return request;
    }

    /// <summary>A schema attribute as AddCustomAttributes takes it: the name without <c>custom:</c>.</summary>
    private static JsonObject CustomAttribute(JsonObject attribute)
    {
        var copy = (JsonObject)attribute.DeepClone();
        if ((string?)copy["Name"] is { } name && name.StartsWith("custom:", StringComparison.Ordinal))
        {
            copy["Name"] = name["custom:".Length..];
        }

        return copy;
    }
}
