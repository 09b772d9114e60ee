using IdentityReplicator.Core.Model;
using IdentityReplicator.Core.Pools;

namespace IdentityReplicator.Replicator.Capture;

/// <summary>Reads a user's whole current state from the primary pool (profile and group memberships).</summary>
public sealed class PrimaryReader(IUserDirectory primary, bool usernamesCaseSensitive, TimeProvider time)
{
    /// <summary>The pool read (the configured primary, or after a failover the pool that became the source).</summary>
    public IUserDirectory Pool => primary;

    public string PoolId => primary.PoolId;

    /// <summary>
    /// The user's state as an observation, or <c>null</c> if no such user exists. The version is the moment the read
    /// began: the state returned is at least that new. Group memberships cost a call of the scarcer UserResourceRead
    /// quota; without them the observation leaves memberships as recorded.
    /// </summary>
    public async Task<UserObservation?> ReadUserAsync(string usernameOrAlias, CaptureSource source, bool includeGroups, CancellationToken cancellationToken)
    {
        var observedAt = time.GetUtcNow();
        var user = await primary.FindUserAsync(usernameOrAlias, cancellationToken);
        if (user is null)
        {
            return null;
        }

        return await ObserveAsync(user, observedAt, source, includeGroups, cancellationToken);
    }

    /// <summary>The observation of a user already read at <paramref name="observedAt"/> (reading its groups if asked).</summary>
    public async Task<UserObservation> ObserveAsync(DirectoryUser user, DateTimeOffset observedAt, CaptureSource source, bool includeGroups, CancellationToken cancellationToken)
    {
        var groups = includeGroups ? await primary.ListGroupsForUserAsync(user.Username, cancellationToken) : null;
        return new UserObservation
        {
            Key = IdentityKeys.ForUsername(user.Username, usernamesCaseSensitive),
            Username = user.Username,
            Sub = user.Sub,
            SourcePoolId = primary.PoolId,
            ObservedAt = observedAt,
            Source = source,
            Profile = new UserProfile(user.Attributes, user.Enabled, user.Status),
            Groups = groups is null ? null : UserObservation.NormalizeGroups(groups),
        };
    }

    /// <summary>
    /// The user with this <c>sub</c>: by the username the mirror recorded for it; else by the sub itself as a username
    /// (in pools that sign in by email or phone, Cognito's username is the sub) — both AdminGetUser, UserRead quota; only
    /// then by a ListUsers filter (the much smaller UserList quota).
    /// </summary>
    public async Task<(DirectoryUser? User, UserSnapshot? Recorded)> FindBySubAsync(string sub, Core.Mirror.IMirrorStore mirror, CancellationToken cancellationToken)
    {
        var key = await mirror.FindKeyBySubAsync(sub, cancellationToken);
        var recorded = key is null ? null : await mirror.GetUserAsync(key, cancellationToken);
        if (recorded is not null)
        {
            return (Matching(await primary.FindUserAsync(recorded.Username, cancellationToken), sub), recorded);
        }

        var user = Matching(await primary.FindUserAsync(sub, cancellationToken), sub)
            ?? await primary.FindUserBySubAsync(sub, cancellationToken);
        return (user, null);
    }

    private static DirectoryUser? Matching(DirectoryUser? user, string sub) =>
        user is not null && (user.Sub is null || user.Sub == sub) ? user : null;

    /// <summary>A tombstone for a username the primary no longer has.</summary>
    public UserObservation Tombstone(string username, CaptureSource source, DateTimeOffset observedAt) =>
        UserObservation.Tombstone(IdentityKeys.ForUsername(username, usernamesCaseSensitive), username, primary.PoolId, observedAt, source);
}
