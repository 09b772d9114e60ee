namespace IdentityReplicator.TestSupport;

/// <summary>
/// Waits for state that lives in another process (an emulator) to reach a condition. There is no signal to wait
/// on across that boundary, so it checks at short intervals until a deadline, then fails with what it last saw.
/// </summary>
public static class Eventually
{
    public static async Task<T> ReturnsAsync<T>(Func<Task<T>> read, Func<T, bool> done, TimeSpan timeout, string what)
    {
        var deadline = TimeProvider.System.GetUtcNow() + timeout;
        T last;
        while (true)
        {
            last = await read();
            if (done(last))
            {
                return last;
            }

            if (TimeProvider.System.GetUtcNow() > deadline)
            {
                var shown = last is System.Collections.IEnumerable items and not string
                    ? "[" + string.Join(", ", items.Cast<object?>().Take(20)) + "]"
                    : last?.ToString();
                throw new TimeoutException($"Timed out after {timeout.TotalSeconds:0} s waiting for {what}; last value: {shown}");
            }

            await Task.Delay(TimeSpan.FromMilliseconds(50), TimeProvider.System);
        }
    }

    public static Task TrueAsync(Func<Task<bool>> condition, TimeSpan timeout, string what) =>
        ReturnsAsync(condition, ok => ok, timeout, what);
}
