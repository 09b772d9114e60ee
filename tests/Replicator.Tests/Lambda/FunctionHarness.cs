using IdentityReplicator.Core.Control;
using IdentityReplicator.Core.Mirror;
using IdentityReplicator.Replicator.Capture;
using IdentityReplicator.Replicator.Identity;
using IdentityReplicator.Replicator.Lambda;
using IdentityReplicator.Replicator.Tests.Capture;
using IdentityReplicator.TestSupport;
using Microsoft.Extensions.Logging.Testing;
using Microsoft.Extensions.Time.Testing;
using NSubstitute;

namespace IdentityReplicator.Replicator.Tests.Lambda;

/// <summary>The Replicator function wired to in-memory fakes and fake time, as the Lambda runtime hosts it.</summary>
internal sealed class FunctionHarness
{
    public const string StandbyPool = "us-west-2_Standby01";

    public FunctionHarness(TimeSpan? budget = null, IReplicaStateStore? mappings = null, IReplicationControlStore? control = null)
    {
        Budget = budget ?? TimeSpan.FromMilliseconds(1500);
        Mirror.RecordUserAsync(default!, default).ReturnsForAnyArgs(RecordOutcome.Changed);
        var options = new CaptureOptions { PrimaryPoolId = TriggerEvents.PrimaryPool, TriggerBudget = Budget };
        var controlReader = control is null ? null : new ReplicationControlReader(
            control,
            new ReplicationControl { Epoch = 0, SourceRegion = "us-east-1", SourcePoolId = TriggerEvents.PrimaryPool, TargetRegion = "us-west-2", TargetPoolId = StandbyPool },
            Time);
        Function = new ReplicatorFunction(
            new TriggerCapture(Mirror, Hints, options, Time, new FakeLogger<TriggerCapture>(Logs), controlReader),
            new EventCapture(new SourceReader(new InMemoryUserDirectory(TriggerEvents.PrimaryPool), false, Time), Mirror, Substitute.For<ISweepRequests>(), options, Time, new FakeLogger<EventCapture>(Logs)),
            new PrimarySubClaims(mappings ?? Mappings, options, Time, new FakeLogger<PrimarySubClaims>(Logs)),
            options,
            new FakeLogger<ReplicatorFunction>(Logs),
            Time);
    }

    public TimeSpan Budget { get; }

    public IMirrorStore Mirror { get; } = Substitute.For<IMirrorStore>();

    public ICaptureHintQueue Hints { get; } = Substitute.For<ICaptureHintQueue>();

    public InMemoryReplicaState Mappings { get; } = new();

    public FakeTimeProvider Time { get; } = new(new DateTimeOffset(2026, 11, 26, 12, 0, 0, TimeSpan.Zero));

    public FakeLogCollector Logs { get; } = new();

    public ReplicatorFunction Function { get; }
}
