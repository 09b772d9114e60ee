using System.Collections.Immutable;
using IdentityReplicator.Core.Mirror;
using IdentityReplicator.Core.PoolConfiguration;

namespace IdentityReplicator.Reconciler.Configuration;

/// <summary>How a client's secrets compare across the pools (values are never read for this, only fingerprints).</summary>
public enum SecretState
{
    /// <summary>Neither pool's client has a secret (a public client).</summary>
    None,

    /// <summary>The target holds exactly the source's readable secrets.</summary>
    Same,

    /// <summary>Both have secrets, and they differ (apply copies the source's).</summary>
    Differs,

    /// <summary>The source's client has a secret and the target's client has none, or there is no target client.</summary>
    Missing,

    /// <summary>A secret in either pool cannot be read (a custom secret in a second slot): rotate it with one value for both.</summary>
    Unreadable,
}

/// <summary>One app client as both pools hold it: its name, both ids, its secrets' state, and what apply would do (or what is in the way).</summary>
public sealed record ClientPair(string Name, string? SourceClientId, string? TargetClientId, SecretState Secret, ImmutableArray<string> Pending)
{
    /// <summary>What the last apply could not write for this client (kept in the mirror), with Cognito's reason and the fix.</summary>
    public ImmutableArray<ClientRefusal> Refused { get; init; } = [];
}

/// <summary>Pairs the clients of two pools by name from a comparison (what <c>idrep clients</c> shows). Pure.</summary>
public static class ClientPairs
{
    /// <param name="comparison">The two pools as read now.</param>
    /// <param name="refused">The last apply's refusals per client; a client only they name (deleted since) is listed too.</param>
    public static ImmutableArray<ClientPair> From(ConfigurationComparison comparison, IReadOnlyList<ClientRefusals>? refused = null)
    {
        var (source, target) = (comparison.Source, comparison.Target);
        var refusals = (refused ?? []).ToDictionary(r => r.Name, r => r.Refusals, StringComparer.Ordinal);
        var names = source.Clients.Keys.Concat(target.Clients.Keys).Concat(source.DuplicateClientNames).Concat(target.DuplicateClientNames).Concat(refusals.Keys)
            .Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal);
        return [.. names.Select(name =>
        {
            var s = source.Clients.GetValueOrDefault(name);
            var t = target.Clients.GetValueOrDefault(name);
            var pending = comparison.Findings
                .Where(f => f.Subject == "client " + name || f.Subject == "secret " + name)
                .Where(f => f.Kind is not ConfigFindingKind.Mapped)
                .Select(f => f.Path.Length == 0 ? $"{Describe(f.Kind)}: {f.Detail}" : $"{Describe(f.Kind)} {f.Path}: {f.Detail}")
                .ToImmutableArray();
            return new ClientPair(name, s?.ClientId, t?.ClientId, StateOf(s, t), pending) { Refused = refusals.GetValueOrDefault(name, []) };
        })];
    }

    private static SecretState StateOf(ClientConfiguration? source, ClientConfiguration? target)
    {
        if (source is not { IsConfidential: true } && target is not { IsConfidential: true })
        {
            return SecretState.None;
        }

        if (source?.Secrets.Any(x => !x.IsReadable) == true || target?.Secrets.Any(x => !x.IsReadable) == true)
        {
            return SecretState.Unreadable;
        }

        if (source is { IsConfidential: true } && target is not { IsConfidential: true })
        {
            return SecretState.Missing;
        }

        var wanted = (source?.Secrets ?? []).Select(x => x.Fingerprint).ToHashSet(StringComparer.Ordinal);
        return wanted.SetEquals((target?.Secrets ?? []).Select(x => x.Fingerprint)) ? SecretState.Same : SecretState.Differs;
    }

    private static string Describe(ConfigFindingKind kind) => kind switch
    {
        ConfigFindingKind.Missing => "create in the target",
        ConfigFindingKind.Extra => "delete from the target",
        ConfigFindingKind.Differs => "update",
        ConfigFindingKind.SecretDiffers => "copy the secret",
        _ => "report",
    };
}
