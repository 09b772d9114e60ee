using IdentityReplicator.TestSupport;

namespace IdentityReplicator.Integration.Tests;

[CollectionDefinition(SandboxCollection.Name)]
public sealed class SandboxCollectionDefinition : ICollectionFixture<SandboxFixture>;
