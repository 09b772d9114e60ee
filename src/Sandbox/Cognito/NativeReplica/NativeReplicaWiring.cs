namespace IdentityReplicator.Sandbox.Cognito.NativeReplica;

/// <summary>What both Regions' fronts share for native replicas: the registry, and each Region's front address (null before it started).</summary>
internal sealed record NativeReplicaWiring(NativeReplicaRegistry Registry, Func<string, Uri?> FrontOf);
