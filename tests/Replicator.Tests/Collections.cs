using IdentityReplicator.TestSupport;

namespace IdentityReplicator.Replicator.Tests;

[CollectionDefinition(DynaliteCollection.Name)]
public sealed class DynaliteCollectionDefinition : ICollectionFixture<DynaliteFixture>;
