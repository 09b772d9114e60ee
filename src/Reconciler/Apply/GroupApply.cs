using IdentityReplicator.Core.Cognito;
using IdentityReplicator.Core.Mirror;
using IdentityReplicator.Core.Model;
using IdentityReplicator.Core.Pools;

namespace IdentityReplicator.Reconciler.Apply;

/// <summary>
/// The Cognito side of groups in the target pool: a group snapshot's create, update or delete, and a group a user joins
/// that the target lacks, made from its mirror snapshot.
/// </summary>
internal sealed class GroupApply(IUserDirectory target, IMirrorStore mirror)
{
    /// <summary>
    /// Makes the target group what the snapshot says, with the calls counted. A listing of the target read moments ago
    /// (<paramref name="known"/>) answers the lookup.
    /// </summary>
    public async Task<ApplyResult> ConvergeAsync(GroupSnapshot snapshot, PoolInventory? known, CancellationToken cancellationToken)
    {
        var calls = known is null ? 1 : 0;
        var outcome = ApplyOutcome.InSync;
        var existing = known is null ? await target.GetGroupAsync(snapshot.Name, cancellationToken) : known.Group(snapshot.Name);
        if (snapshot.Deleted)
        {
            if (existing is not null)
            {
                await target.DeleteGroupAsync(snapshot.Name, cancellationToken);
                calls++;
                outcome = ApplyOutcome.Applied;
            }
        }
        else
        {
            var desired = new DirectoryGroup(snapshot.Name, snapshot.Description, snapshot.Precedence, snapshot.RoleArn);
            if (existing is null)
            {
                await CreateOrUpdateAsync(desired, cancellationToken);
                calls++;
                outcome = ApplyOutcome.Applied;
            }
            else if (existing != desired)
            {
                await target.UpdateGroupAsync(desired, cancellationToken);
                calls++;
                outcome = ApplyOutcome.Applied;
            }
        }

        return new ApplyResult(outcome, calls);
    }

    /// <summary>
    /// Creates a group a user is in but the target lacks: from its mirror snapshot if there is one, bare if there is
    /// none. A group the mirror knows was deleted is not created (the user's recorded membership is older than that);
    /// returns whether the group exists now.
    /// </summary>
    public async Task<bool> EnsureAsync(string name, CancellationToken cancellationToken)
    {
        var snapshot = await mirror.GetGroupAsync(name, cancellationToken);
        if (snapshot is { Deleted: true })
        {
            return false;
        }

        var group = snapshot is null
            ? new DirectoryGroup(name)
            : new DirectoryGroup(name, snapshot.Description, snapshot.Precedence, snapshot.RoleArn);
        await CreateOrUpdateAsync(group, cancellationToken);
        return true;
    }

    private async Task CreateOrUpdateAsync(DirectoryGroup group, CancellationToken cancellationToken)
    {
        try
        {
            await target.CreateGroupAsync(group, cancellationToken);
        }
        catch (GroupExistsException)
        {
            // Created meanwhile by another writer: make it what the snapshot says.
            await target.UpdateGroupAsync(group, cancellationToken);
        }
    }
}
