using IdentityReplicator.Sandbox;

namespace IdentityReplicator.TestSupport;

/// <summary>Arranges the sandbox's simulated native replica (<c>SandboxOptions.NativeReplica</c>).</summary>
public static class NativeReplicas
{
    /// <summary>Makes the primary's native replica show <paramref name="attributes"/> for a user from now on: a replica out of step.</summary>
    public static void DivergeNativeReplica(this SandboxEnvironment sandbox, string username, IReadOnlyDictionary<string, string> attributes)
    {
        ArgumentNullException.ThrowIfNull(sandbox);
        sandbox.NativeReplicas.Diverge(sandbox.Primary.UserPoolId, username, attributes);
    }
}
