using System.Collections.Immutable;

namespace IdentityReplicator.Failover.Journeys;

/// <summary>
/// The <c>journeys:</c> section of a plan: which synthetic journeys <c>verify</c> runs against the pool a run moves to,
/// and with which users and clients (docs/failover-plan.md). Each journey runs only when its field is given;
/// <c>password-sign-in</c> runs whenever the plan has a <c>signIn:</c> user.
/// </summary>
public sealed record JourneysPlan
{
    /// <summary>A monitoring user that is disabled in the source pool and must be refused by the target (<c>disabled-user-refused</c>).</summary>
    public string? DisabledUser { get; init; }

    /// <summary>Groups the <c>signIn:</c> user's ID token must list in <c>cognito:groups</c> (<c>group-claims</c>).</summary>
    public ImmutableArray<string> Groups { get; init; } = [];

    /// <summary>The claim the Replicator adds with the user's original sub (<c>primary-sub-claim</c>); null: not checked.</summary>
    public string? PrimarySubClaim { get; init; }

    /// <summary>Callback URLs the application's app client must carry in the target pool (<c>hosted-ui-config</c>).</summary>
    public ImmutableArray<Uri> CallbackUrls { get; init; } = [];

    /// <summary>Confidential clients whose client-credentials tokens are requested (<c>m2m-token</c>, and <c>relay-token</c> through <see cref="RelayEndpoint"/>).</summary>
    public ImmutableArray<MachineClientPlan> MachineClients { get; init; } = [];

    /// <summary>The token relay's <c>/oauth2/token</c> URL (<c>relay-token</c>); null: not checked.</summary>
    public Uri? RelayEndpoint { get; init; }

    /// <summary>No journey besides <c>password-sign-in</c>.</summary>
    public bool IsEmpty => DisabledUser is null && Groups.IsEmpty && PrimarySubClaim is null && CallbackUrls.IsEmpty && MachineClients.IsEmpty && RelayEndpoint is null;
}

/// <summary>
/// A confidential app client, found in each pool by <see cref="Name"/> (client replication keeps the name), whose
/// client-credentials token must carry <see cref="Scopes"/>. <see cref="PrimaryClientId"/> is the id callers of the
/// relay hold; without it the primary pool is asked for the client of that name.
/// </summary>
public sealed record MachineClientPlan(string Name, ImmutableArray<string> Scopes, string? PrimaryClientId = null);
