using IdentityReplicator.TestSupport;

namespace IdentityReplicator.Failover.Tests;

/// <summary>xunit v2 finds collection definitions only in the test assembly itself: one dynalite for the mirror table tests.</summary>
[CollectionDefinition(DynaliteCollection.Name)]
public sealed class DynaliteTestCollection : ICollectionFixture<DynaliteFixture>;

/// <summary>One sandbox (with its local Route 53, RDS and SSM) for the tests that drive it.</summary>
[CollectionDefinition(SandboxCollection.Name)]
public sealed class SandboxTestCollection : ICollectionFixture<SandboxFixture>;
