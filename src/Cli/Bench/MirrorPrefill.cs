using System.Globalization;
using IdentityReplicator.Core.Mirror;
using IdentityReplicator.Core.Model;
using IdentityReplicator.Sandbox;
using IdentityReplicator.Sandbox.VirtualPool;

namespace IdentityReplicator.Cli.Bench;

/// <summary>
/// Fills the virtual sandbox's empty mirror with the primary pool as a sweep would have recorded it (user snapshots by
/// batch writes, the few groups one by one), so <c>bench sweep --virtual</c> measures a sweep of a pool the mirror
/// already holds — the steady state a worker sweeps in — rather than a first fill paced by conditional writes.
/// </summary>
internal static class MirrorPrefill
{
    /// <summary>Batch writes in flight at once.</summary>
    private const int Concurrency = 8;

    /// <summary>Writes every primary user and group into the mirror, observed a minute ago; returns the users written.</summary>
    public static async Task<int> FillAsync(VirtualSandbox sandbox, SandboxOptions options, TimeProvider time, CancellationToken cancellationToken)
    {
        var mirror = new DynamoDbMirrorStore(sandbox.Dynamo, new MirrorOptions { TableName = options.TableName, FeedBuckets = options.FeedBuckets }, time);
        var users = new VirtualUsers(sandbox.Pool, VirtualSide.Primary);
        var poolId = sandbox.Primary.UserPoolId;
        var observedAt = time.GetUtcNow().AddMinutes(-1);
        for (var group = 0; group < users.GroupCount; group++)
        {
            await mirror.RecordGroupAsync(
                new GroupObservation
                {
                    Name = VirtualUsers.GroupName(group),
                    SourcePoolId = poolId,
                    ObservedAt = observedAt,
                    Source = CaptureSource.Sweep,
                    Description = string.Create(CultureInfo.InvariantCulture, $"Virtual group {group}"),
                    Precedence = group,
                },
                cancellationToken);
        }

        return await mirror.SeedUsersAsync(poolId, Observations(), Concurrency, cancellationToken);

        IEnumerable<UserObservation> Observations()
        {
            for (var i = 0; i < users.Count; i++)
            {
                if (users.User(i) is { } user)
                {
                    yield return new UserObservation
                    {
                        // Keyed as idrep keys them under the sandbox's configuration (Replication:UsernamesCaseSensitive left false).
                        Key = IdentityKeys.ForUsername(user.Username, caseSensitive: false),
                        Username = user.Username,
                        Sub = user.Sub,
                        SourcePoolId = poolId,
                        ObservedAt = observedAt,
                        Source = CaptureSource.Sweep,
                        Profile = new UserProfile(user.Attributes, user.Enabled, user.Status),
                        Groups = [.. user.Groups],
                    };
                }
            }
        }
    }
}
