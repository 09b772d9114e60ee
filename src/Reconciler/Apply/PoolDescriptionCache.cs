using IdentityReplicator.Core.Pools;

namespace IdentityReplicator.Reconciler.Apply;

/// <summary>
/// The target pool's description (sign-in mode, schema, password policy), read once and shared by every application;
/// read again on request when the cached one is over ten seconds old — an operator may have added the attribute a
/// parked user was waiting for.
/// </summary>
internal sealed class PoolDescriptionCache(IUserDirectory pool, TimeProvider time)
{
    private static readonly TimeSpan RefreshAfter = TimeSpan.FromSeconds(10);

    private readonly SemaphoreSlim _gate = new(1, 1);
    private PoolDescription? _description;
    private DateTimeOffset _readAt;

    /// <summary>The description, read on first use.</summary>
    public async Task<PoolDescription> GetAsync(CancellationToken cancellationToken) =>
        _description ?? await ReadAsync(force: false, cancellationToken);

    /// <summary>The description, read again if the cached one is older than ten seconds.</summary>
    public Task<PoolDescription> RefreshAsync(CancellationToken cancellationToken) => ReadAsync(force: true, cancellationToken);

    /// <summary>The description read again now, however fresh the cached one (after the schema was changed on purpose).</summary>
    public Task<PoolDescription> ReloadAsync(CancellationToken cancellationToken) => ReadAsync(force: true, cancellationToken, always: true);

    private async Task<PoolDescription> ReadAsync(bool force, CancellationToken cancellationToken, bool always = false)
    {
        await _gate.WaitAsync(cancellationToken);
        try
        {
            if (_description is null || always || (force && time.GetUtcNow() - _readAt > RefreshAfter))
            {
                _description = await pool.DescribeAsync(cancellationToken);
                _readAt = time.GetUtcNow();
            }

            return _description;
        }
        finally
        {
            _gate.Release();
        }
    }
}
