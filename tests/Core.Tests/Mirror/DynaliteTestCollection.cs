using IdentityReplicator.TestSupport;

namespace IdentityReplicator.Core.Tests.Mirror;

/// <summary>
/// xunit v2 only finds collection definitions in the test assembly itself, so the shared dynalite collection is
/// declared here under the name TestSupport gives it: one emulator for every mirror table test, a table per test.
/// </summary>
[CollectionDefinition(DynaliteCollection.Name)]
public sealed class DynaliteTestCollection : ICollectionFixture<DynaliteFixture>;
