using IdentityReplicator.Core.Cognito;
using IdentityReplicator.Core.Mirror;
using IdentityReplicator.Core.Model;
using IdentityReplicator.Core.Pools;
using Microsoft.Extensions.Logging;

namespace IdentityReplicator.Reconciler.Apply;

/// <summary>The target pool as the apply engine's parts share it.</summary>
internal sealed record ApplyTarget(IUserDirectory Pool, PoolDescriptionCache Description, GroupApply Groups, AttributeRules Rules, ILogger Logger)
{
    /// <summary>Adds the source's custom attributes the target lacks (configuration apply); the user is planned again after it either way.</summary>
    public Func<CancellationToken, Task<bool>>? AddMissingSchema { get; set; }
}

/// <summary>What one application of a user snapshot came to: a result, or why the user is parked.</summary>
internal sealed record UserApplyOutcome(ApplyResult? Result, ParkDecision? Park)
{
    public static UserApplyOutcome Done(ApplyResult result) => new(result, null);

    public static UserApplyOutcome Parked(ParkDecision park) => new(null, park);
}

/// <summary>
/// One application of one user snapshot to the target pool, the executor of <see cref="UserPlanner"/>'s plans: finds
/// the target user (from a listing of the pool when the caller has one, else with lookups), asks the planner for the
/// calls, performs them through <see cref="IUserDirectory"/> and counts every call, reads included. What Cognito
/// answers mid-plan is handled here: a user another writer created meanwhile is updated instead, a group the target
/// lacks is made from its mirror snapshot and joined again, a group already gone is left. Memberships are planned after
/// the profile's calls are made, reading the user's groups only then (and not at all for a user just created).
/// </summary>
/// <remarks>
/// <paramref name="compareAll"/> compares every part whatever the applied versions say (sync and drift repair, and an
/// entity whose last application lost its lease midway); a listing (<paramref name="known"/>) always does.
/// </remarks>
internal sealed class UserApply(ApplyTarget target, UserSnapshot snapshot, AppliedState? applied, PoolInventory? known, bool compareAll = false)
{
    private readonly DesiredUser _desired = DesiredUser.Of(snapshot, target.Rules.IdentityAttribute);
    private readonly bool _compareAll = compareAll || known is not null;
    private int _calls;
    private bool _created;

    /// <summary>The target user the snapshot was applied to (null for a tombstone, or a user not replicated and not there).</summary>
    public DirectoryUser? Target { get; private set; }

    /// <summary>The user's original <c>sub</c>: the source's own identity attribute if it has one, else the source <c>sub</c>.</summary>
    public string? OriginalSub { get; private set; }

    public async Task<UserApplyOutcome> DeleteAsync(CancellationToken cancellationToken)
    {
        var pool = await target.Description.GetAsync(cancellationToken);
        var name = applied?.TargetUsername ?? (pool.SignsInByAlias ? null : snapshot.Username);
        if (name is null)
        {
            Log.NoCounterpart(target.Logger, EntityId.ForUser(snapshot.Key).ToString());
            return UserApplyOutcome.Done(new ApplyResult(ApplyOutcome.InSync));
        }

        var existing = await FindAsync(name, cancellationToken);
        var calls = UserPlanner.PlanDelete(existing);
        if (existing is null || calls.IsEmpty)
        {
            return UserApplyOutcome.Done(new ApplyResult(ApplyOutcome.InSync, _calls));
        }

        await PerformAsync(pool, existing.Username, calls, cancellationToken);
        return UserApplyOutcome.Done(new ApplyResult(ApplyOutcome.Applied, _calls));
    }

    public async Task<UserApplyOutcome> UpsertAsync(CancellationToken cancellationToken)
    {
        var pool = await target.Description.GetAsync(cancellationToken);
        var profile = snapshot.Profile;
        OriginalSub = _desired.OriginalSub;
        var existing = applied?.TargetUsername is { } mapped ? await FindAsync(mapped, cancellationToken) : null;
        if (profile is not null)
        {
            if (existing is null && UserPlanner.CreationName(_desired, pool, target.Rules) is { } creationName)
            {
                existing = await FindAsync(creationName, cancellationToken);
            }
        }
        else if (existing is null && !pool.SignsInByAlias)
        {
            existing = await FindAsync(snapshot.Username, cancellationToken);
        }

        var changed = false;
        var profileIsNew = _compareAll || applied is null || snapshot.ProfileVersion > applied.ProfileVersion || existing is null;
        if (profile is not null && profileIsNew)
        {
            var plan = UserPlanner.PlanProfile(_desired, existing, pool, target.Rules);
            if (plan.Park is { SchemaDependent: true })
            {
                pool = await target.Description.RefreshAsync(cancellationToken);
                plan = UserPlanner.PlanProfile(_desired, existing, pool, target.Rules);
            }

            // Users wait for configuration: the schema apply adds what the source has (or another user's just did), then
            // the user is planned again against the schema read now.
            if (plan.Park is { SchemaDependent: true } && target.AddMissingSchema is { } addMissing)
            {
                await addMissing(cancellationToken);
                pool = await target.Description.ReloadAsync(cancellationToken);
                plan = UserPlanner.PlanProfile(_desired, existing, pool, target.Rules);
            }

            if (plan.NotReplicated is { } reason)
            {
                Target = existing;
                return UserApplyOutcome.Done(new ApplyResult(existing is null ? ApplyOutcome.Skipped : ApplyOutcome.InSync, _calls, reason));
            }

            if (plan.Park is { } park)
            {
                return UserApplyOutcome.Parked(park);
            }

            if (existing is null)
            {
                existing = await CreateAsync(pool, plan, profile, cancellationToken);
                changed = true;
            }
            else
            {
                changed |= await PerformAsync(pool, existing.Username, plan.Calls, cancellationToken);
            }
        }

        Target = existing;
        if (existing is not null && _desired.Groups is { } groups && (_compareAll || applied is null || snapshot.GroupsVersion > applied.GroupsVersion || changed))
        {
            changed |= await SyncGroupsAsync(pool, existing.Username, groups, cancellationToken);
        }

        return UserApplyOutcome.Done(new ApplyResult(changed ? ApplyOutcome.Applied : ApplyOutcome.InSync, _calls));
    }

    private async Task<DirectoryUser> CreateAsync(PoolDescription pool, UserPlan plan, UserProfile profile, CancellationToken cancellationToken)
    {
        var create = (UserCall.CreateUser)plan.Calls[0];
        var status = ApplyEngine.TargetStatusFor(profile.Status) ?? throw new InvalidOperationException($"A user in status {profile.Status} is not created.");
        DirectoryUser created;
        try
        {
            created = await target.Pool.CreateUserAsync(create.Name, create.Attributes, RandomPasswords.Create(pool.MinimumPasswordLength), cancellationToken);
            _calls++;
        }
        catch (UsernameExistsException)
        {
            // Created meanwhile (a retried call whose first reply was lost, or a concurrent writer): update instead.
            _calls++;
            var existing = await FindAsync(create.Name, cancellationToken, fromPool: true);
            if (existing is null)
            {
                throw;
            }

            await PerformAsync(pool, existing.Username, UserPlanner.PlanUpdate(existing, create.Attributes, status, profile.Enabled, target.Rules), cancellationToken);
            return existing;
        }

        _created = true;
        await PerformAsync(pool, created.Username, plan.Calls.Skip(1), cancellationToken);
        return created with { Enabled = profile.Enabled, Status = status };
    }

    private async Task<bool> SyncGroupsAsync(PoolDescription pool, string username, IReadOnlyList<string> desired, CancellationToken cancellationToken)
    {
        IReadOnlyList<string> current = [];
        if (known is not null && !_created)
        {
            current = known.GroupsOf(username);
        }
        else if (!_created)
        {
            current = await target.Pool.ListGroupsForUserAsync(username, cancellationToken);
            _calls++;
        }

        return await PerformAsync(pool, username, UserPlanner.PlanMemberships(desired, current), cancellationToken);
    }

    /// <summary>Performs calls on an existing user, in order; returns whether any changed it.</summary>
    private async Task<bool> PerformAsync(PoolDescription pool, string username, IEnumerable<UserCall> calls, CancellationToken cancellationToken)
    {
        var changed = false;
        foreach (var call in calls)
        {
            switch (call)
            {
                case UserCall.UpdateAttributes update:
                    await target.Pool.UpdateAttributesAsync(username, update.Attributes, cancellationToken);
                    break;
                case UserCall.DeleteAttributes delete:
                    await target.Pool.DeleteAttributesAsync(username, delete.Names, cancellationToken);
                    break;
                case UserCall.SetPermanentPassword:
                    await target.Pool.SetPermanentPasswordAsync(username, RandomPasswords.Create(pool.MinimumPasswordLength), cancellationToken);
                    break;
                case UserCall.SetTemporaryPassword:
                    await target.Pool.SetTemporaryPasswordAsync(username, RandomPasswords.Create(pool.MinimumPasswordLength), cancellationToken);
                    break;
                case UserCall.SetEnabled enabled:
                    await target.Pool.SetEnabledAsync(username, enabled.Enabled, cancellationToken);
                    break;
                case UserCall.DeleteUser:
                    await target.Pool.DeleteUserAsync(username, cancellationToken);
                    break;
                case UserCall.AddToGroup add:
                    if (!await AddToGroupAsync(username, add.Group, cancellationToken))
                    {
                        continue;
                    }

                    break;
                case UserCall.RemoveFromGroup remove:
                    await RemoveFromGroupAsync(username, remove.Group, cancellationToken);
                    break;
                default:
                    throw new InvalidOperationException($"{call} is not a call on an existing user.");
            }

            _calls++;
            changed = true;
        }

        return changed;
    }

    /// <summary>Joins a group, creating it first if the target lacks it; false when the mirror knows it was deleted.</summary>
    private async Task<bool> AddToGroupAsync(string username, string group, CancellationToken cancellationToken)
    {
        try
        {
            await target.Pool.AddToGroupAsync(username, group, cancellationToken);
        }
        catch (ResourceNotFoundException)
        {
            _calls++;
            if (!await target.Groups.EnsureAsync(group, cancellationToken))
            {
                return false;
            }

            await target.Pool.AddToGroupAsync(username, group, cancellationToken);
            _calls++;
        }

        return true;
    }

    private async Task RemoveFromGroupAsync(string username, string group, CancellationToken cancellationToken)
    {
        try
        {
            await target.Pool.RemoveFromGroupAsync(username, group, cancellationToken);
        }
        catch (ResourceNotFoundException)
        {
            // The group is gone, and the membership with it.
        }
    }

    private async Task<DirectoryUser?> FindAsync(string name, CancellationToken cancellationToken, bool fromPool = false)
    {
        if (known is not null && !fromPool)
        {
            var pool = await target.Description.GetAsync(cancellationToken);
            return known.Find(name, pool.UsernameAttributes);
        }

        _calls++;
        return await target.Pool.FindUserAsync(name, cancellationToken);
    }
}
