using IdentityReplicator.Core.Control;
using IdentityReplicator.Core.Mirror;
using IdentityReplicator.Reconciler.Apply;
using IdentityReplicator.Reconciler.Drift;

namespace IdentityReplicator.Reconciler.Sync;

/// <summary>
/// One run of sync or drift: the source (read, its snapshots recorded in its Region) and the target (written through its
/// apply engine) as the control named them when the run began, and what was read.
/// </summary>
public sealed class ScopeRun(ReplicationControl control, PoolEnd source, PoolEnd target, DriftInputs inputs, bool usernamesCaseSensitive)
{
    public ReplicationControl Control { get; } = control;

    public PoolEnd Source { get; } = source;

    public PoolEnd Target { get; } = target;

    public DriftInputs Inputs { get; } = inputs;

    /// <summary>Where snapshots are recorded (the source Region's replica of the mirror table).</summary>
    public IMirrorStore Mirror => Source.Mirror;

    public ApplyEngine Engine => Target.Engine;

    public InventoryRecorder Recorder { get; } = new(source.Mirror, usernamesCaseSensitive);
}
