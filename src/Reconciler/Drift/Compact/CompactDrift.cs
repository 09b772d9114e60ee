using IdentityReplicator.Reconciler.Drift.Recoverability;

namespace IdentityReplicator.Reconciler.Drift.Compact;

/// <summary>
/// A drift analysis of a compact read: <see cref="DriftDetector"/> compares the users read again, field by field, and
/// the users the compact read settled are added to the counts — so the rows are the detector's and the summary covers
/// both pools whole; recoverability is the listing's tally of every source user.
/// </summary>
internal static class CompactDrift
{
    public static DriftAnalysis Analyze(DriftInputs focused, CompactFocus focus, RecoverabilitySection recoverability, DriftSettings settings, DateTimeOffset generatedAt)
    {
        var analysis = DriftDetector.Analyze(focused, settings, generatedAt);
        var report = analysis.Report;
        var summary = report.Summary;
        return analysis with
        {
            Report = report with
            {
                Source = report.Source with { Users = focus.SourceUsers },
                Target = report.Target with { Users = focus.TargetUsers },
                Recoverability = recoverability,
                Summary = summary with
                {
                    UsersCompared = summary.UsersCompared + focus.Compared,
                    UsersNotReplicated = summary.UsersNotReplicated + focus.NotReplicated,
                    MirrorBehind = summary.MirrorBehind + focus.MirrorBehind,
                    MirrorAbsent = summary.MirrorAbsent + focus.MirrorAbsent,
                },
            },
        };
    }
}
