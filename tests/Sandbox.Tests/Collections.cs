using IdentityReplicator.TestSupport;

namespace IdentityReplicator.Sandbox.Tests;

[CollectionDefinition(SandboxCollection.Name)]
public sealed class SandboxCollectionDefinition : ICollectionFixture<SandboxFixture>;
