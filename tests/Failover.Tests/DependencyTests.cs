using IdentityReplicator.Failover.Execution;

namespace IdentityReplicator.Failover.Tests;

/// <summary>Dependencies point inward (docs/architecture.md): the failover tool builds on Core alone.</summary>
public sealed class DependencyTests
{
    [Fact]
    public void FailoverAssembly_ProjectsItUses_AreCoreOnly()
    {
        var projects = typeof(FailoverRunner).Assembly.GetReferencedAssemblies()
            .Select(a => a.Name)
            .Where(n => n is not null && (n.StartsWith("IdentityReplicator.", StringComparison.Ordinal) || n == "idrep"))
            .Order(StringComparer.Ordinal);

        Assert.Equal(["IdentityReplicator.Core"], projects);
    }
}
