using System.Security.Cryptography;
using IdentityReplicator.Core.Cognito;
using IdentityReplicator.Core.Configuration;
using IdentityReplicator.Core.Control;
using IdentityReplicator.Core.Mirror;
using IdentityReplicator.Failover.Plans;

namespace IdentityReplicator.Failover.Preflight;

/// <summary>How far the target is behind the source: changes recorded by the source and not yet applied to the target.</summary>
public sealed record LagReport(int Examined, int Unapplied, DateTimeOffset? OldestUnappliedChange, DateTimeOffset? NewestApplied, bool Truncated)
{
    /// <summary>The entity of the oldest unapplied change (its <see cref="EntityId.ToString"/> names no person), for the operator to look up.</summary>
    public EntityId? OldestUnappliedEntity { get; init; }

    public TimeSpan OldestUnappliedAge(DateTimeOffset now) => OldestUnappliedChange is { } oldest ? now - oldest : TimeSpan.Zero;
}

/// <summary>Replication lag as seen in the mirror table. A port (tests fake it).</summary>
public interface IReplicationLag
{
    Task<LagReport> MeasureAsync(ReplicationControl control, CancellationToken cancellationToken);
}

/// <summary>
/// Reads the change feed from each bucket's checkpoint in the target's Region (less a look-back) and compares every
/// entry the source recorded since the direction began with the version applied there. Bounded: at most <c>limit</c>
/// entries per bucket.
/// </summary>
internal sealed class MirrorReplicationLag(IMirrorStore mirror, IReplicaStateStore state, int buckets, int limit = 1000) : IReplicationLag
{
    private static readonly TimeSpan LookBack = TimeSpan.FromSeconds(30);

    public async Task<LagReport> MeasureAsync(ReplicationControl control, CancellationToken cancellationToken)
    {
        var examined = 0;
        var unapplied = 0;
        var truncated = false;
        DateTimeOffset? oldest = null;
        EntityId? oldestEntity = null;
        DateTimeOffset? newestApplied = null;
        for (var bucket = 0; bucket < buckets; bucket++)
        {
            var checkpoint = await state.GetCheckpointAsync(control.TargetRegion, bucket, cancellationToken);
            var position = checkpoint is null ? string.Empty : MirrorTable.PositionFloor(MirrorTable.TimeOf(checkpoint) - LookBack);
            var read = 0;
            while (read < limit)
            {
                var page = await mirror.ReadFeedAsync(bucket, position, 100, cancellationToken);
                foreach (var entry in page.Entries)
                {
                    read++;
                    var (pool, entity, profile, groups, changedAt) = entry switch
                    {
                        { User: { } u } => (u.SourcePoolId, EntityId.ForUser(u.Key), u.ProfileVersion, u.GroupsVersion, u.ChangedAt),
                        { Group: { } g } => (g.SourcePoolId, EntityId.ForGroup(g.Name), g.Version, 0L, g.ChangedAt),
                        _ => (entry.Configuration!.SourcePoolId, entry.Entity, entry.Configuration.Version, 0L, entry.Configuration.ChangedAt),
                    };
                    // Content last changed before this direction began was the old source's, drained at the fence: a record
                    // naming the new source only because the new source observed it unchanged has nothing to apply.
                    if (!string.Equals(pool, control.SourcePoolId, StringComparison.Ordinal) || changedAt < control.SourceSince)
                    {
                        continue;
                    }

                    examined++;
                    var applied = await state.GetAppliedAsync(control.TargetRegion, entity, cancellationToken);
                    if (applied is not null && applied.ProfileVersion >= profile && applied.GroupsVersion >= groups)
                    {
                        newestApplied = Max(newestApplied, applied.AppliedAt);
                    }
                    else
                    {
                        unapplied++;
                        if (oldest is null || changedAt < oldest)
                        {
                            (oldest, oldestEntity) = (changedAt, entity);
                        }
                    }
                }

                if (page.Entries.Count == 0 || !page.HasMore && page.Entries.Count < 100)
                {
                    break;
                }

                position = page.Entries[^1].Position;
            }

            truncated |= read >= limit;
        }

        // Parked entities are reported by the reconciler; they do not hold up a failover.
        var parked = 0;
        await foreach (var _ in state.ListParkedAsync(control.TargetRegion, cancellationToken))
        {
            parked++;
        }

        return new LagReport(examined, Math.Max(0, unapplied - parked), oldest, newestApplied, truncated) { OldestUnappliedEntity = oldestEntity };
    }

    private static DateTimeOffset? Max(DateTimeOffset? a, DateTimeOffset b) => a is null || b > a ? b : a;
}

/// <summary>An HTTP health probe: a GET whose status is 2xx.</summary>
public interface IHttpProbe
{
    Task<(bool Healthy, string Detail)> GetAsync(Uri url, CancellationToken cancellationToken);
}

internal sealed class HttpProbe(HttpClient http) : IHttpProbe
{
    public async Task<(bool Healthy, string Detail)> GetAsync(Uri url, CancellationToken cancellationToken)
    {
        try
        {
            using var response = await http.GetAsync(url, cancellationToken);
            return (response.IsSuccessStatusCode, $"HTTP {(int)response.StatusCode}");
        }
        catch (HttpRequestException e)
        {
            return (false, e.HttpRequestError.ToString());
        }
        catch (TaskCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return (false, "timed out");
        }
    }
}

/// <summary>Signs the monitoring user in to one side's pool through the application's app client.</summary>
public interface ISignInProbe
{
    Task<(bool Succeeded, string Detail)> SignInAsync(PoolRole role, CancellationToken cancellationToken);
}

/// <summary>
/// The synthetic sign-in: makes sure the monitoring user exists in the pool (creating it without a message if not),
/// gives it a fresh random password, and signs in with USER_PASSWORD_AUTH through the plan's app client, exactly as
/// the application's users will. The password is never stored or logged.
/// </summary>
internal sealed class CognitoSignInProbe(FailoverPlan plan, PerPool<CognitoIdentityProviderClient> clients) : ISignInProbe
{
    private readonly Native.NativeJourneyPasswords _native = new();

    public async Task<(bool Succeeded, string Detail)> SignInAsync(PoolRole role, CancellationToken cancellationToken)
    {
        if (plan.SignIn is not { } signIn)
        {
            return (true, "no synthetic sign-in in the plan");
        }

        var pool = plan.Pools.For(role);
        var client = clients.For(role);
        var password = "Idrep-" + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(12)) + "!A1";
        // Native mode: user writes go to the primary Region (a secondary refuses them), once per run (NativeJourneyPasswords).
        var writer = plan.Cognito.IsNative ? clients.Primary : client;
        var known = plan.Cognito.IsNative ? _native.Known(signIn.Username) : null;
        password = known ?? password;
        try
        {
            if (known is null)
            {
                try
                {
                    await writer.AdminGetUserAsync(new AdminGetUserRequest(pool.UserPoolId, signIn.Username), cancellationToken);
                }
                catch (UserNotFoundException)
                {
                    var attributes = signIn.Username.Contains('@', StringComparison.Ordinal)
                        ? new List<AttributeType> { new("email", signIn.Username), new("email_verified", "true") }
                        : [];
                    await writer.AdminCreateUserAsync(
                        new AdminCreateUserRequest { UserPoolId = pool.UserPoolId, Username = signIn.Username, UserAttributes = attributes, MessageAction = "SUPPRESS", TemporaryPassword = password },
                        cancellationToken);
                }

                await writer.AdminSetUserPasswordAsync(new AdminSetUserPasswordRequest(pool.UserPoolId, signIn.Username, password, Permanent: true), cancellationToken);
                if (plan.Cognito.IsNative)
                {
                    _native.Remember(signIn.Username, password);
                }
            }

            var auth = await client.InitiateAuthAsync(
                new InitiateAuthRequest("USER_PASSWORD_AUTH", pool.AppClientId)
                {
                    AuthParameters = new Dictionary<string, string> { ["USERNAME"] = signIn.Username, ["PASSWORD"] = password },
                },
                cancellationToken);
            return auth.AuthenticationResult?.AccessToken is { Length: > 0 }
                ? (true, $"signed in to {pool.UserPoolId} through app client {pool.AppClientId}")
                : (false, $"{pool.UserPoolId} answered without tokens (challenge {auth.ChallengeName ?? "none"})");
        }
        catch (CognitoException e)
        {
            return (false, $"{pool.UserPoolId}: {e.ErrorCode}");
        }
        catch (HttpRequestException e)
        {
            return (false, $"{pool.UserPoolId}: {e.HttpRequestError}");
        }
    }
}
