using IdentityReplicator.Core.Cognito;
using IdentityReplicator.Reconciler.Apply;
using IdentityReplicator.Sandbox;

namespace IdentityReplicator.Cli.Bench;

/// <summary>
/// The application of the chaos benchmark: makes the plan's writes in the primary through the Cognito API, several at
/// a time but each user's in plan order, and records each in the ledger once it succeeded. Its client is held to
/// Cognito's quotas, as an application is on AWS.
/// </summary>
internal sealed class ChaosApplication(CognitoIdentityProviderClient client, SandboxEnvironment sandbox, ChaosLedger ledger, int concurrency)
{
    private int _done;

    /// <summary>Makes every write of <paramref name="plan"/>; <paramref name="written"/> hears the running count after each.</summary>
    public async Task RunAsync(IReadOnlyList<ChaosChange> plan, Action<int> written, CancellationToken cancellationToken)
    {
        using var failed = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        using var slots = new SemaphoreSlim(concurrency);
        var tails = new Dictionary<string, Task>(StringComparer.Ordinal);
        var running = new List<Task>(plan.Count);
        try
        {
            foreach (var change in plan)
            {
                await slots.WaitAsync(failed.Token);
                var task = RunAfterAsync(tails.GetValueOrDefault(change.Username) ?? Task.CompletedTask, change, slots, written, failed);
                tails[change.Username] = task;
                running.Add(task);
            }
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            // A write failed and stopped the rest: its error surfaces below.
        }

        await Task.WhenAll(running);
    }

    private async Task RunAfterAsync(Task previous, ChaosChange change, SemaphoreSlim slots, Action<int> written, CancellationTokenSource failed)
    {
        try
        {
            await previous;
            ledger.Apply(change, await WriteAsync(change, failed.Token));
            written(Interlocked.Increment(ref _done));
        }
        catch (Exception) when (!failed.IsCancellationRequested)
        {
            await failed.CancelAsync();
            throw;
        }
        finally
        {
            slots.Release();
        }
    }

    /// <summary>One write; for a creation, the new user's sub.</summary>
    private async Task<string?> WriteAsync(ChaosChange change, CancellationToken cancellationToken)
    {
        var pool = sandbox.Primary.UserPoolId;
        var name = change.Username;
        switch (change.Kind)
        {
            case ChaosChangeKind.Create or ChaosChangeKind.Recreate when change.ViaSignUp:
                var signedUp = await client.SignUpAsync(
                    new SignUpRequest(sandbox.Primary.AppClientId, name, RandomPasswords.Create()) { UserAttributes = change.Attributes!.ToAttributeList() },
                    cancellationToken);
                await client.ConfirmSignUpAsync(new ConfirmSignUpRequest(sandbox.Primary.AppClientId, name, sandbox.ConfirmationCode), cancellationToken);
                return signedUp.UserSub;
            case ChaosChangeKind.Create or ChaosChangeKind.Recreate:
                var created = await client.AdminCreateUserAsync(
                    new AdminCreateUserRequest
                    {
                        UserPoolId = pool,
                        Username = name,
                        UserAttributes = change.Attributes!.ToAttributeList(),
                        MessageAction = "SUPPRESS",
                        TemporaryPassword = RandomPasswords.Create(),
                    },
                    cancellationToken);
                return created.User?.Attributes?.FirstOrDefault(a => a.Name == "sub")?.Value;
            case ChaosChangeKind.AttributeEdit:
                await client.AdminUpdateUserAttributesAsync(new AdminUpdateUserAttributesRequest(pool, name, change.Attributes!.ToAttributeList()), cancellationToken);
                break;
            case ChaosChangeKind.AttributeDelete:
                await client.AdminDeleteUserAttributesAsync(new AdminDeleteUserAttributesRequest(pool, name, change.AttributeNames!), cancellationToken);
                break;
            case ChaosChangeKind.Disable:
                await client.AdminDisableUserAsync(new AdminDisableUserRequest(pool, name), cancellationToken);
                break;
            case ChaosChangeKind.Enable:
                await client.AdminEnableUserAsync(new AdminEnableUserRequest(pool, name), cancellationToken);
                break;
            case ChaosChangeKind.Delete:
                await client.AdminDeleteUserAsync(new AdminDeleteUserRequest(pool, name), cancellationToken);
                break;
            case ChaosChangeKind.GroupAdd:
                await client.AdminAddUserToGroupAsync(new AdminAddUserToGroupRequest(pool, name, change.Group!), cancellationToken);
                break;
            case ChaosChangeKind.GroupRemove:
                await client.AdminRemoveUserFromGroupAsync(new AdminRemoveUserFromGroupRequest(pool, name, change.Group!), cancellationToken);
                break;
        }

        return null;
    }
}
