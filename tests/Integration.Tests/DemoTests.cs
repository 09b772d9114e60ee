using IdentityReplicator.Cli.Demo;
using Microsoft.Extensions.Logging.Abstractions;

namespace IdentityReplicator.Integration.Tests;

/// <summary>
/// The main job end to end on the sandbox: users created in the primary arrive, correct, in the standby; so does every
/// other kind of change (edits, deletions, disable/enable, groups, memberships) and the configuration changes (a
/// confidential client with the same secret, a callback URL, a scope, the password policy, an OIDC provider), through
/// CloudTrail events.
/// </summary>
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
        Assert.Equal(result.PrimaryUsers, result.StandbyUsers);
        Assert.Equal(30 - result.Changes[ChangeKinds.Delete].Count, result.PrimaryUsers);
        Assert.True(result.LagP99Ms > 0);
        string[] kinds =
        [
            ChangeKinds.Create, ChangeKinds.AttributeEdit, ChangeKinds.AttributeDelete, ChangeKinds.Disable, ChangeKinds.Enable, ChangeKinds.Delete,
            ChangeKinds.GroupCreate, ChangeKinds.GroupUpdate, ChangeKinds.GroupDelete, ChangeKinds.MembershipAdd, ChangeKinds.MembershipRemove,
            DemoConfiguration.ClientCreate, DemoConfiguration.ClientUpdate, DemoConfiguration.Scope, DemoConfiguration.PoolSetting, DemoConfiguration.IdentityProvider,
        ];
        Assert.All(kinds, kind =>
        {
            Assert.True(result.Changes[kind].Count > 0, $"the demo made no {kind}");
            Assert.Equal(result.Changes[kind].Count, result.Changes[kind].Converged);
        });
    }
}
