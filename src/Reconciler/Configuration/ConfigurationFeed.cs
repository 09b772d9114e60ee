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
/// </summary>
public sealed class ConfigurationFeed(ConfigurationApplier applier, IReplicaStateStore state, string region, TimeProvider time, ILogger<ConfigurationFeed> logger)
{
    /// <summary>The pool it writes.</summary>
    public string TargetPoolId => applier.TargetPoolId;

    public async Task<ApplyResult> ApplyAsync(ConfigurationHint hint, CancellationToken cancellationToken)
    {
        var entity = hint.Entity;
        var applied = await state.GetAppliedAsync(region, entity, cancellationToken);
        if (applied is not null && applied.ProfileVersion >= hint.Version)
        {
            return new ApplyResult(ApplyOutcome.Skipped);
        }

        ConfigurationObjectResult done;
        try
        {
            done = await applier.ApplyObjectAsync(hint, applied?.ProfileHash, cancellationToken);
        }
        catch (AwsServiceException e) when (e.IsPermissionProblem)
        {
            throw new ApplyPermissionException(applier.TargetPoolId, region, e);
        }

        if (done.Subject is null)
        {
            ConfigurationLog.HintUnresolved(logger, ConfigurationHint.KindName(hint.Kind), hint.Operation);
            await RecordAsync(hint, null, cancellationToken);
            return new ApplyResult(ApplyOutcome.Skipped, 0, "the object is not in the source and no mapping names it; the configuration sweep settles it");
        }

        var result = done.Result;
        if (!result.Refused.IsEmpty)
        {
            // Recorded without a fingerprint, so the next hint for the object tries again even if the source is unchanged.
            await state.ParkAsync(
                region,
                new ParkedEntity
                {
                    Entity = entity,
                    Code = result.Refused[0].Code,
                    Reason = string.Join(" ", result.Refused.Select(r => r.ToString())),
                    Version = hint.Version,
                    ParkedAt = time.GetUtcNow(),
                },
                cancellationToken);
            await RecordAsync(hint, null, cancellationToken);
            ConfigurationLog.HintParked(logger, done.Subject, result.Refused[0].Code);
            return new ApplyResult(ApplyOutcome.Parked, result.Applied.Length, result.Refused[0].Code);
        }

        if (!done.Unchanged)
        {
            await state.UnparkAsync(region, entity, cancellationToken);
        }

        await RecordAsync(hint, done.Fingerprint, cancellationToken);
        ConfigurationLog.HintApplied(logger, done.Subject, result.Applied.Length, (time.GetUtcNow() - hint.ChangedAt).TotalMilliseconds);
        return new ApplyResult(result.Applied.IsEmpty ? ApplyOutcome.InSync : ApplyOutcome.Applied, result.Applied.Length);
    }

    private Task RecordAsync(ConfigurationHint hint, string? fingerprint, CancellationToken cancellationToken) =>
        state.PutAppliedAsync(
            region,
            new AppliedState { Entity = hint.Entity, ProfileVersion = hint.Version, ProfileHash = fingerprint, AppliedAt = time.GetUtcNow() },
            cancellationToken);
}
