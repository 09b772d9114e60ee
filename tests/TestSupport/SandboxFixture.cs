using IdentityReplicator.Sandbox;
using Xunit;

namespace IdentityReplicator.TestSupport;

/// <summary>One sandbox (pools that sign in by email) per test collection.</summary>
public sealed class SandboxFixture : IAsyncLifetime
{
    public SandboxEnvironment Sandbox { get; private set; } = null!;

    public async Task InitializeAsync() => Sandbox = await TestSandbox.StartAsync();

    public async Task DisposeAsync()
    {
        if (Sandbox is not null)
        {
            await Sandbox.DisposeAsync();
        }
    }
}

/// <summary>The name of the collection that shares one <see cref="SandboxFixture"/> (define it in each test assembly).</summary>
public static class SandboxCollection
{
    public const string Name = "sandbox";
}

/// <summary>Which processes are still alive (to check that nothing a test started survives it).</summary>
public static class Processes
{
    public static bool IsAlive(int processId)
    {
        try
        {
            using var process = System.Diagnostics.Process.GetProcessById(processId);
            return !process.HasExited;
        }
        catch (ArgumentException)
        {
            return false;
        }
        catch (InvalidOperationException)
        {
            return false;
        }
    }
}
