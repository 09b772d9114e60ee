namespace IdentityReplicator.Core.Cognito;

/// <summary>How each Cognito call is run: rate limited and retried (<see cref="Quotas.QuotaGovernor"/>), or directly.</summary>
public interface ICognitoCallPolicy
{
    Task<T> ExecuteAsync<T>(string operation, Func<CancellationToken, Task<T>> call, CancellationToken cancellationToken);
}

/// <summary>Runs each call once, immediately. For the trigger path, where every millisecond is the user's.</summary>
internal sealed class DirectCallPolicy : ICognitoCallPolicy
{
    public static readonly DirectCallPolicy Instance = new();

    public Task<T> ExecuteAsync<T>(string operation, Func<CancellationToken, Task<T>> call, CancellationToken cancellationToken) =>
        call(cancellationToken);
}
