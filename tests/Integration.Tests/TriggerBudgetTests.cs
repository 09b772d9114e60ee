using Amazon.DynamoDBv2.Model;
using IdentityReplicator.Core.Cognito;
using IdentityReplicator.Sandbox;
using Microsoft.Extensions.Logging.Abstractions;

namespace IdentityReplicator.Integration.Tests;

/// <summary>Replication must never block a sign-up: with the mirror table gone, sign-up and confirmation still succeed promptly.</summary>
public sealed class TriggerBudgetTests
{
    [Fact]
    public async Task SignUpAndConfirm_MirrorTableDeleted_SucceedWithinTheTriggerBudget()
    {
        var budget = TimeSpan.FromMilliseconds(500);
        await using var sandbox = await SandboxEnvironment.StartAsync(new SandboxOptions { TriggerBudget = budget }, NullLoggerFactory.Instance, TimeProvider.System, CancellationToken.None);
        await sandbox.Dynamo.DeleteTableAsync(new DeleteTableRequest { TableName = sandbox.TableName });
        var client = sandbox.Client(sandbox.Primary);
        var email = $"budget-{Guid.NewGuid():N}@example.com";

        var started = TimeProvider.System.GetTimestamp();
        await client.SignUpAsync(new SignUpRequest(sandbox.Primary.AppClientId, email, "Correct-Horse-9-Battery") { UserAttributes = [new AttributeType("email", email)] });
        await client.ConfirmSignUpAsync(new ConfirmSignUpRequest(sandbox.Primary.AppClientId, email, sandbox.ConfirmationCode));
        var elapsed = TimeProvider.System.GetElapsedTime(started);

        var user = await client.AdminGetUserAsync(new AdminGetUserRequest(sandbox.Primary.UserPoolId, email));
        Assert.Equal("CONFIRMED", user.UserStatus);

        // Two trigger invocations at most one budget each, plus the emulator's own work; far below Cognito's 5 s.
        Assert.True(elapsed < (2 * budget) + TimeSpan.FromSeconds(2), $"took {elapsed.TotalMilliseconds:0} ms");
    }
}
