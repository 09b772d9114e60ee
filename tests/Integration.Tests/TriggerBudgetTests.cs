using Amazon.DynamoDBv2.Model;
using IdentityReplicator.Core.Cognito;
using IdentityReplicator.Sandbox;
using IdentityReplicator.TestSupport;

namespace IdentityReplicator.Integration.Tests;

/// <summary>Replication must never block a sign-up: with the mirror table gone, sign-up and confirmation still succeed promptly.</summary>
public sealed class TriggerBudgetTests
{
    [Fact]
    public async Task SignUpAndConfirm_MirrorTableDeleted_SucceedWithinTheTriggerBudget()
    {
        var budget = TimeSpan.FromMilliseconds(500);
        await using var sandbox = await TestSandbox.StartAsync(new SandboxOptions { TriggerBudget = budget });
        await sandbox.Dynamo.DeleteTableAsync(new DeleteTableRequest { TableName = sandbox.TableName });
        var client = sandbox.Client(sandbox.Primary);
        var email = $"budget-{Guid.NewGuid():N}@example.com";

        var signUp = await TimeAsync(() => client.SignUpAsync(new SignUpRequest(sandbox.Primary.AppClientId, email, "Correct-Horse-9-Battery") { UserAttributes = [new AttributeType("email", email)] }));
        var confirm = await TimeAsync(() => client.ConfirmSignUpAsync(new ConfirmSignUpRequest(sandbox.Primary.AppClientId, email, sandbox.ConfirmationCode)));

        var user = await client.AdminGetUserAsync(new AdminGetUserRequest(sandbox.Primary.UserPoolId, email));
        Assert.Equal("CONFIRMED", user.UserStatus);

        // Each call waits for one trigger invocation of at most one budget, plus the emulator's own work: well under
        // the 5 s after which Cognito gives up on a trigger (the slack is for a loaded 2-core machine).
        Assert.True(signUp < budget + TimeSpan.FromSeconds(3), $"SignUp took {signUp.TotalMilliseconds:0} ms");
        Assert.True(confirm < budget + TimeSpan.FromSeconds(3), $"ConfirmSignUp took {confirm.TotalMilliseconds:0} ms");
    }

    private static async Task<TimeSpan> TimeAsync(Func<Task> call)
    {
        var started = TimeProvider.System.GetTimestamp();
        await call();
        return TimeProvider.System.GetElapsedTime(started);
    }
}
