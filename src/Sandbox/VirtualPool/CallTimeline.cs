using System.Collections.Concurrent;
using IdentityReplicator.Core.Quotas;
using IdentityReplicator.Sandbox.Cognito;

namespace IdentityReplicator.Sandbox.VirtualPool;

/// <summary>The calls of one quota category that got past the quota proxy: how many, and when the first and the last came.</summary>
/// <param name="Calls">Calls let through.</param>
/// <param name="FirstTimestamp">The first call's timestamp (of the sandbox's <see cref="TimeProvider"/>).</param>
/// <param name="LastTimestamp">The last call's timestamp.</param>
public sealed record CallSpan(long Calls, long FirstTimestamp, long LastTimestamp);

/// <summary>
/// Sits after the quota proxy of a virtual pool's front and notes, per quota category, the calls the proxy let through
/// and the time of the first and the last: a benchmark splits its elapsed time into the start before the listing, the
/// listing (whose calls per second, against the budget, say whether the reads filled it) and the tail after it.
/// </summary>
public sealed class CallTimeline(TimeProvider time) : ICognitoInterceptor
{
    private readonly ConcurrentDictionary<QuotaCategory, Span> _spans = new();

    /// <summary>What got through in <paramref name="category"/>, or <c>null</c> when nothing did.</summary>
    public CallSpan? Of(QuotaCategory category) =>
        _spans.TryGetValue(category, out var span) ? span.Snapshot() : null;

    public ValueTask<FrontReply?> BeforeAsync(FrontCall call, CancellationToken cancellationToken)
    {
        _spans.GetOrAdd(CognitoQuotas.CategoryOf(call.Operation), _ => new Span()).Note(time.GetTimestamp());
        return ValueTask.FromResult<FrontReply?>(null);
    }

    public ValueTask AfterAsync(FrontCall call, FrontReply reply, CancellationToken cancellationToken) => ValueTask.CompletedTask;

    private sealed class Span
    {
        private readonly Lock _gate = new();
        private long _calls;
        private long _first;
        private long _last;

        public void Note(long now)
        {
            lock (_gate)
            {
                _first = _calls == 0 ? now : _first;
                _last = now;
                _calls++;
            }
        }

        public CallSpan Snapshot()
        {
            lock (_gate)
            {
                return new CallSpan(_calls, _first, _last);
            }
        }
    }
}
