using IdentityReplicator.Core.Aws;
using IdentityReplicator.Core.Mirror;
using IdentityReplicator.Reconciler.Apply;
using Microsoft.Extensions.Logging;

namespace IdentityReplicator.Reconciler.Configuration;

/// <summary>
/// Applies configuration hints from the change feed, like users: a hint no newer than the one applied for its object
/// is skipped without a call (a feed replay); otherwise the object is read and applied through
/// <see cref="ConfigurationApplier.ApplyObjectAsync"/>, and the hint's version and the source object's fingerprint are
/// recorded as the object's applied state in this Region. A write the target refuses parks the object with Cognito's
/// code, reason and the fix, and everything else carries on; the next hint or configuration sweep that applies it cleanly
/// un-parks it. Throttling and network errors propagate, so the feed retries the entry; permission errors are systemic.
/// Like a user, an object is applied under its apply lease (<see cref="ApplyLease"/>): two workers never write one
/// object at once, and a hint whose object another worker holds is <see cref="ApplyOutcome.Deferred"/>.
/// </summary>
internal sealed partial class ConfigurationFeed(
    ConfigurationApplier applier,
    IReplicaStateStore state,
    string region,
    TimeProvider time,
    ILogger<ConfigurationFeed> logger,
    ApplyLeaseHolder? leaseHolder = null,
    TimeSpan? leaseDuration = null)
{
    private readonly ApplyLeaseHolder _holder = leaseHolder ?? ApplyLeaseHolder.ForThisProcess();
    private readonly TimeSpan _leaseDuration = leaseDuration ?? ReconcilerOptions.DefaultApplyLease;

    /// <summary>The pool it writes.</summary>
    public string TargetPoolId => applier.TargetPoolId;

    public async Task<ApplyResult> ApplyAsync(ConfigurationHint hint, CancellationToken cancellationToken)
    {
        var lease = await ApplyLease.TryTakeAsync(state, region, hint.Entity, _holder, _leaseDuration, time, cancellationToken);
        if (lease is null)
        {
            return new ApplyResult(ApplyOutcome.Deferred, 0, "another worker holds the object's apply lease");
        }

        try
        {
            return await ApplyUnderLeaseAsync(hint, lease, cancellationToken);
        }
        finally
        {
            await lease.ReleaseAsync(CancellationToken.None);
        }
    }

    private async Task<ApplyResult> ApplyUnderLeaseAsync(ConfigurationHint hint, ApplyLease lease, CancellationToken cancellationToken)
    {
        var entity = hint.Entity;
        var applied = lease.Applied;
        if (applied is not null && applied.ProfileVersion >= hint.Version)
        {
            return new ApplyResult(ApplyOutcome.Skipped);
        }

        ConfigurationObjectResult done;
        try
        {
            using var fenced = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, lease.Fence);
            done = await applier.ApplyObjectAsync(hint, applied?.ProfileHash, fenced.Token);
        }
        catch (AwsServiceException e) when (e.IsPermissionProblem)
        {
            throw new ApplyPermissionException(applier.TargetPoolId, region, e);
        }

        if (done.Subject is null)
        {
            ConfigurationLog.HintUnresolved(logger, ConfigurationHint.KindName(hint.Kind), hint.Operation);
            await RecordAsync(lease, hint, null, cancellationToken);
            return new ApplyResult(ApplyOutcome.Skipped, 0, "the object is not in the source and no mapping names it; the configuration sweep settles it");
        }

        var result = done.Result;
        if (!result.Refused.IsEmpty)
        {
            // Recorded without a fingerprint, so the next hint for the object tries again even if the source is unchanged.
            await state.ParkAsync(region, Parked(entity, result.Refused, hint.Version), cancellationToken);
            await RecordAsync(lease, hint, null, cancellationToken);
            ConfigurationLog.HintParked(logger, done.Subject, result.Refused[0].Code);
            return new ApplyResult(ApplyOutcome.Parked, result.Applied.Length, result.Refused[0].Code);
        }

        if (!done.Unchanged)
        {
            await state.UnparkAsync(region, entity, cancellationToken);
        }

        await RecordAsync(lease, hint, done.Fingerprint, cancellationToken);
        ConfigurationLog.HintApplied(logger, done.Subject, result.Applied.Length, (time.GetUtcNow() - hint.ChangedAt).TotalMilliseconds);
        return new ApplyResult(result.Applied.IsEmpty ? ApplyOutcome.InSync : ApplyOutcome.Applied, result.Applied.Length);
    }

    private Task<AppliedRecord> RecordAsync(ApplyLease lease, ConfigurationHint hint, string? fingerprint, CancellationToken cancellationToken) =>
        lease.RecordAsync(
            new AppliedState { Entity = hint.Entity, ProfileVersion = hint.Version, ProfileHash = fingerprint, AppliedAt = time.GetUtcNow() },
            cancellationToken);
}
