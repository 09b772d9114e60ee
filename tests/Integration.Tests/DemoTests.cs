using IdentityReplicator.Cli.Demo;
using Microsoft.Extensions.Logging.Abstractions;

namespace IdentityReplicator.Integration.Tests;

/// <summary>The main job end to end on the sandbox: users created in the primary arrive, correct, in the standby.</summary>
public sealed class DemoTests
{
    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task RunAsync_UsersCreatedInThePrimary_ConvergeInTheStandbyFieldByField(bool signInByEmail)
    {
        var runner = new DemoRunner(NullLoggerFactory.Instance, TimeProvider.System, _ => { });

        var result = await runner.RunAsync(new DemoOptions(30, signInByEmail, Timeout: TimeSpan.FromSeconds(90)), CancellationToken.None);

        Assert.True(result.Converged, string.Join("; ", result.MismatchDetails));
        Assert.Equal(0, result.Mismatches);
        Assert.Equal(30, result.PrimaryUsers);
        Assert.Equal(30, result.StandbyUsers);
        Assert.True(result.LagP99Ms > 0);
    }
}
