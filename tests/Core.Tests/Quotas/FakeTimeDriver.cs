using Microsoft.Extensions.Time.Testing;

namespace IdentityReplicator.Core.Tests.Quotas;

/// <summary>
/// Runs an operation that waits on fake time (token waits, Polly retry delays) to completion: while it is pending,
/// lets its continuations reach their next timer, then moves fake time forward by one step. The only real waiting
/// is on the operation itself, bounded to a millisecond per step; the fake-time budget turns a hang into a failure.
/// </summary>
internal static class FakeTimeDriver
{
    public static async Task<T> RunAsync<T>(FakeTimeProvider time, Task<T> operation, TimeSpan step, TimeSpan budget)
    {
        await DriveAsync(time, operation, step, budget);
        return await operation;
    }

    public static async Task DriveAsync(FakeTimeProvider time, Task operation, TimeSpan step, TimeSpan budget)
    {
        var spent = TimeSpan.Zero;
        while (!operation.IsCompleted)
        {
            await Task.WhenAny(operation, Task.Delay(TimeSpan.FromMilliseconds(1), TimeProvider.System));
            if (operation.IsCompleted)
            {
                break;
            }

            if (spent >= budget)
            {
                throw new TimeoutException($"The operation was still pending after {budget} of fake time.");
            }

            time.Advance(step);
            spent += step;
        }
    }
}
