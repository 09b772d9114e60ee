namespace IdentityReplicator.Core.Control;

/// <summary>
/// The current <see cref="ReplicationControl"/>, read from the mirror table at most once per <c>cacheFor</c>
/// (capture runs inside a sign-up's time budget and must not read it on every event). If the table cannot be read,
/// the last known control is kept (or, before any read succeeded, the configured default), so replication never
/// stops because of it; the mirror store's conditional writes and the reconciler still enforce the epoch.
/// </summary>
public sealed class ReplicationControlReader
{
    private readonly IReplicationControlStore _store;
    private readonly ReplicationControl _default;
    private readonly TimeProvider _time;
    private readonly TimeSpan _cacheFor;
    private readonly SemaphoreSlim _gate = new(1, 1);
    private ReplicationControl? _current;
    private DateTimeOffset _readAt = DateTimeOffset.MinValue;

    public ReplicationControlReader(IReplicationControlStore store, ReplicationControl configured, TimeProvider time, TimeSpan? cacheFor = null)
    {
        _store = store;
        _default = configured;
        _time = time;
        _cacheFor = cacheFor ?? DefaultCache;
    }

    /// <summary>How long a read control is trusted: short, because a fence must take effect within seconds.</summary>
    public static TimeSpan DefaultCache { get; } = TimeSpan.FromSeconds(1);

    /// <summary>The configured roles (epoch 0), used until a failover writes the control item.</summary>
    public ReplicationControl Configured => _default;

    /// <summary>The last control read, without reading (the configured default before the first read).</summary>
    public ReplicationControl Known => Volatile.Read(ref _current) ?? _default;

    public async ValueTask<ReplicationControl> CurrentAsync(CancellationToken cancellationToken, bool refresh = false)
    {
        var known = Volatile.Read(ref _current);
        if (!refresh && known is not null && _time.GetUtcNow() - _readAt < _cacheFor)
        {
            return known;
        }

        await _gate.WaitAsync(cancellationToken);
        try
        {
            if (!refresh && _current is not null && _time.GetUtcNow() - _readAt < _cacheFor)
            {
                return _current;
            }

            try
            {
                var stored = await _store.GetAsync(cancellationToken);
                var next = stored ?? _default;

                // Epochs only go forward: a replica that has not caught up yet must not undo a fence.
                if (_current is null || next.Epoch >= _current.Epoch)
                {
                    Volatile.Write(ref _current, next);
                }

                _readAt = _time.GetUtcNow();
            }
            catch (Exception e) when (e is not OperationCanceledException && _current is not null)
            {
                // Keep the last known control; try again on the next call.
            }

            return _current ?? _default;
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            return _current ?? _default;
        }
        finally
        {
            _gate.Release();
        }
    }
}
