using IdentityReplicator.TestSupport;

namespace IdentityReplicator.Failover.Tests;

/// <summary>xunit v2 finds collection definitions only in the test assembly itself: one dynalite for the mirror table tests.</summary>
[CollectionDefinition(DynaliteCollection.Name)]
public sealed class DynaliteTestCollection : ICollectionFixture<DynaliteFixture>;
