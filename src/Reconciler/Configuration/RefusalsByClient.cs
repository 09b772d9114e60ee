using System.Collections.Immutable;
using IdentityReplicator.Core.Mirror;

namespace IdentityReplicator.Reconciler.Configuration;

/// <summary>An apply's refusals of client and secret writes, per client name, as the mirror keeps them for <c>idrep clients</c>. Pure.</summary>
internal static class RefusalsByClient
{
    private static readonly string[] Prefixes = ["client ", "secret "];

    public static ImmutableArray<ClientRefusals> Of(string targetPoolId, IEnumerable<ConfigRefusal> refused) =>
    [
        .. refused
            .Select(r => (Name: ClientName(r.Subject), Refusal: r))
            .Where(r => r.Name is not null)
            .GroupBy(r => r.Name!, StringComparer.Ordinal)
            .Select(g => new ClientRefusals(g.Key, targetPoolId, default, [.. g.Select(r => new ClientRefusal(r.Refusal.Subject, r.Refusal.Operation, r.Refusal.Code, r.Refusal.Reason, r.Refusal.Fix))])),
    ];

    /// <summary>The client a subject is about (<c>client web</c>, <c>secret web</c>), or null for pool-wide subjects.</summary>
    public static string? ClientName(string subject) =>
        Prefixes.FirstOrDefault(p => subject.StartsWith(p, StringComparison.Ordinal)) is { } prefix ? subject[prefix.Length..] : null;
}
