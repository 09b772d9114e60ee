using System.Runtime.ExceptionServices;
using System.Threading.Channels;
using IdentityReplicator.Core.Pools;

namespace IdentityReplicator.Reconciler.Drift.Recoverability;

/// <summary>
/// A tally fed while a listing streams past (the drift report's compact read), with the facts
/// <see cref="IRecoveryFactsReader"/> gives — the reader <c>idrep users recovery-plan</c> uses, so both count alike: the
/// target's identity providers read once at the start, and, when the source offers TOTP, each user whose class TOTP can
/// change (<see cref="RecoveryPlanner.CanHaveTotp"/>) read beside the listing, a few at a time (each read paced by its
/// Cognito quota). The listing waits when the reads fall behind, so at most a few pages of users are held.
/// </summary>
internal sealed partial class RecoverabilityTally : IAsyncDisposable
{
    private Channel<DirectoryUser>? _totpReads;
    private Task _reading = Task.CompletedTask;
    private CancellationTokenSource? _stop;
    private bool? _offersTotp;

    /// <summary>
    /// A tally with what <paramref name="facts"/> tells (nothing read when null: providers assumed configured, TOTP not
    /// known), reading TOTP enrolments <paramref name="concurrency"/> at a time until <see cref="CompleteAsync"/>.
    /// </summary>
    public static async Task<RecoverabilityTally> StartAsync(IRecoveryFactsReader? facts, bool keepUsers, bool caseSensitive, int concurrency, CancellationToken cancellationToken)
    {
        if (facts is null)
        {
            return new RecoverabilityTally(null, keepUsers, caseSensitive);
        }

        var tally = new RecoverabilityTally(await facts.TargetProvidersAsync(cancellationToken), keepUsers, caseSensitive)
        {
            _offersTotp = await facts.SourceOffersTotpAsync(cancellationToken),
        };
        if (tally._offersTotp == true)
        {
            tally.ReadTotp(facts, Math.Max(1, concurrency), cancellationToken);
        }

        return tally;
    }

    /// <summary>Counts <paramref name="user"/>, at once or after its TOTP enrolment is read; waits only when the reads are behind.</summary>
    public ValueTask AddAsync(DirectoryUser user, CancellationToken cancellationToken)
    {
        if (_totpReads is { } reads && RecoveryPlanner.CanHaveTotp(user))
        {
            return QueueAsync(reads, user, cancellationToken);
        }

        Add(user, _offersTotp == false ? new RecoveryFacts(TotpEnrolled: false) : null);
        return ValueTask.CompletedTask;
    }

    /// <summary>The section once every queued TOTP read has ended (a failed read fails it, as it fails the recovery plan).</summary>
    public async Task<RecoverabilitySection> CompleteAsync()
    {
        _totpReads?.Writer.TryComplete();
        await _reading;
        return ToSection(totpChecked: _offersTotp is not null);
    }

    /// <summary>Ends the reads of a listing that stopped early (its own failure is what the caller sees).</summary>
    public async ValueTask DisposeAsync()
    {
        if (_stop is null)
        {
            return;
        }

        _totpReads?.Writer.TryComplete();
        await _stop.CancelAsync();
        await _reading.ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        _stop.Dispose();
    }

    private void ReadTotp(IRecoveryFactsReader facts, int concurrency, CancellationToken cancellationToken)
    {
        var reads = Channel.CreateBounded<DirectoryUser>(new BoundedChannelOptions(concurrency * 4) { SingleWriter = true });
        _stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        _totpReads = reads;
        var parallel = new ParallelOptions { MaxDegreeOfParallelism = concurrency, CancellationToken = _stop.Token };
        _reading = Task.Run(
            async () =>
            {
                try
                {
                    await Parallel.ForEachAsync(
                        reads.Reader.ReadAllAsync(parallel.CancellationToken),
                        parallel,
                        async (user, token) => Add(user, new RecoveryFacts(await facts.TotpEnrolledAsync(user.Username, token))));
                }
                catch (Exception e)
                {
                    // The listing's next AddAsync throws it, so a refused read stops the read at once instead of at the end.
                    reads.Writer.TryComplete(e);
                    throw;
                }
            },
            CancellationToken.None);
    }

    private static async ValueTask QueueAsync(Channel<DirectoryUser> reads, DirectoryUser user, CancellationToken cancellationToken)
    {
        try
        {
            await reads.Writer.WriteAsync(user, cancellationToken);
        }
        catch (ChannelClosedException e) when (e.InnerException is { } cause)
        {
            ExceptionDispatchInfo.Throw(cause);
        }
    }
}
