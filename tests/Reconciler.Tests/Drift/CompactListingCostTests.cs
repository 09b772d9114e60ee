using IdentityReplicator.Core.Model;
using IdentityReplicator.Core.Pools;
using IdentityReplicator.Reconciler.Drift;
using IdentityReplicator.Reconciler.Drift.Compact;

namespace IdentityReplicator.Reconciler.Tests.Drift;

/// <summary>
/// What folding a listed user costs: a million-user report folds every user of the source as its page arrives, so the
/// fold may allocate its row and little else (the garbage of the profile hash's text form was most of a report's CPU per
/// user). Counted in bytes allocated on the calling thread, not in time, so a loaded machine cannot make it flaky.
/// </summary>
public sealed class CompactListingCostTests
{
    private static readonly DriftSettings Settings = new(false, name => !UserProfile.IsPseudoAttribute(name));

    private static readonly DirectoryUser ListedUser = new(
        "vu-00000042",
        "3f0c5d1e-0000-4000-8000-00000000002a",
        new Dictionary<string, string>(StringComparer.Ordinal) { ["email"] = "vu-00000042@example.com", ["email_verified"] = "true", ["given_name"] = "Grace", ["custom:tier"] = "pro" },
        true,
        UserStatuses.Confirmed);

    [Fact]
    public void Fold_AListedUserOfAUsernamePool_AllocatesLittleMoreThanItsRow()
    {
        var pool = new PoolDescription("standby_1", [], false, new Dictionary<string, PoolSchemaAttribute>());

        var perUser = BytesPerFold(pool);

        // The row itself is about 80 bytes, the delegate for IsReplicatedAttribute 64; the fold that built the profile hash's text allocated about 2.5 KB.
        Assert.True(perUser < 400, $"{perUser:0} bytes allocated per user folded");
    }

    [Fact]
    public void Fold_AnAliasPool_StillNamesTheUserByItsEmail()
    {
        var pool = new PoolDescription("standby_1", ["email"], false, new Dictionary<string, PoolSchemaAttribute>());

        var row = CompactListing.Fold(ListedUser, pool, Settings);

        Assert.Equal("vu-00000042@example.com", row.CreationName);
        Assert.Equal("vu-00000042", CompactListing.Fold(ListedUser, new PoolDescription("standby_1", [], false, new Dictionary<string, PoolSchemaAttribute>()), Settings).CreationName);
    }

    private static double BytesPerFold(PoolDescription pool)
    {
        _ = CompactListing.Fold(ListedUser, pool, Settings);
        var before = GC.GetAllocatedBytesForCurrentThread();
        for (var i = 0; i < 1_000; i++)
        {
            _ = CompactListing.Fold(ListedUser, pool, Settings);
        }

        return (GC.GetAllocatedBytesForCurrentThread() - before) / 1_000.0;
    }
}
