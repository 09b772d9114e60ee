using IdentityReplicator.Core.Model;
using IdentityReplicator.Core.Pools;

namespace IdentityReplicator.Replicator.Capture;

/// <summary>Reads a user's whole current state (profile and group memberships) from a pool capture may record: the source.</summary>
public sealed class SourceReader(IUserDirectory pool, bool usernamesCaseSensitive, TimeProvider time)
{
    /// <summary>The pool read.</summary>
    public IUserDirectory Pool => pool;

    public string PoolId => pool.PoolId;

    /// <summary>
    /// The user's state as an observation, or <c>null</c> if no such user exists. The version is the moment the read
    /// began: the state returned is at least that new. Group memberships cost a call of the scarcer UserResourceRead
    /// quota; without them the observation leaves memberships as recorded.
    /// </summary>
    public async Task<UserObservation?> ReadUserAsync(string usernameOrAlias, CaptureSource source, bool includeGroups, CancellationToken cancellationToken)
    {
        var observedAt = time.GetUtcNow();
        var user = await pool.FindUserAsync(usernameOrAlias, cancellationToken);
        if (user is null)
        {
            return null;
        }

        return await ObserveAsync(user, observedAt, source, includeGroups, cancellationToken);
    }

    /// <summary>The observation of a user already read at <paramref name="observedAt"/> (reading its groups if asked).</summary>
    public async Task<UserObservation> ObserveAsync(DirectoryUser user, DateTimeOffset observedAt, CaptureSource source, bool includeGroups, CancellationToken cancellationToken)
    {
        var groups = includeGroups ? await pool.ListGroupsForUserAsync(user.Username, cancellationToken) : null;
        return new UserObservation
        {
            Key = KeyOf(user.Username),
            Username = user.Username,
            Sub = user.Sub,
            SourcePoolId = pool.PoolId,
            ObservedAt = observedAt,
            Source = source,
            Profile = new UserProfile(user.Attributes, user.Enabled, user.Status),
            Groups = groups is null ? null : UserObservation.NormalizeGroups(groups),
        };
    }

    /// <summary>
    /// Who the <c>sub</c> leads to in this pool. If the mirror recorded a user of this pool with it, the user who holds that username
    /// now (AdminGetUser, UserRead quota) — which may be another user with another sub, once the username was deleted
    /// and taken again — together with the mirror's record. Otherwise, only when <paramref name="searchPool"/> (the
    /// event named this pool), the user with the sub itself as its username (pools that sign in by email or phone,
    /// where Cognito's username is the sub), then by a ListUsers filter (the much smaller UserList quota). An event that
    /// names no pool may be any pool's in the account: for a sub the mirror never recorded it costs no Cognito call.
    /// </summary>
    internal async Task<SubLookup> FindBySubAsync(string sub, Core.Mirror.IMirrorStore mirror, bool searchPool, CancellationToken cancellationToken)
    {
        var key = await mirror.FindKeyBySubAsync(sub, cancellationToken);
        var recorded = key is null ? null : await mirror.GetUserAsync(key, cancellationToken);

        // A record made from another pool (the source before a failover) names that pool's username and sub.
        if (recorded is not null && string.Equals(recorded.SourcePoolId, pool.PoolId, StringComparison.Ordinal))
        {
            return new SubLookup(await pool.FindUserAsync(recorded.Username, cancellationToken), recorded);
        }

        if (!searchPool)
        {
            return new SubLookup(null, null);
        }

        var user = Matching(await pool.FindUserAsync(sub, cancellationToken), sub)
            ?? await pool.FindUserBySubAsync(sub, cancellationToken);
        return new SubLookup(user, null);
    }

    private static DirectoryUser? Matching(DirectoryUser? user, string sub) =>
        user is not null && (user.Sub is null || user.Sub == sub) ? user : null;

    /// <summary>The identity key the mirror keeps this pool's user under.</summary>
    public string KeyOf(string username) => IdentityKeys.ForUsername(username, usernamesCaseSensitive);

    /// <summary>A tombstone for a username this pool no longer has.</summary>
    public UserObservation Tombstone(string username, CaptureSource source, DateTimeOffset observedAt) =>
        UserObservation.Tombstone(KeyOf(username), username, pool.PoolId, observedAt, source);
}

/// <summary>What a <c>sub</c> led to: the user that holds its username now (if any), and the mirror's record it was found through.</summary>
/// <param name="User">The source pool's user: the sub's own, or — when the mirror's username for it was taken again — the new holder.</param>
/// <param name="Recorded">The mirror's record of the username the sub was recorded under; <c>null</c> if the mirror never saw the sub.</param>
internal sealed record SubLookup(DirectoryUser? User, UserSnapshot? Recorded);
