namespace IdentityReplicator.Reconciler.Tests;

public sealed class ReconcilerHealthTests
{
    private static readonly DateTimeOffset Now = new(2026, 11, 26, 12, 0, 0, TimeSpan.Zero);
    private static readonly TimeSpan Window = TimeSpan.FromSeconds(60);

    [Fact]
    public void Check_NotStarted_IsNotReady()
    {
        var (ready, reason) = new ReconcilerHealth().Check(Now, Window);

        Assert.False(ready);
        Assert.Contains("starting", reason, StringComparison.Ordinal);
    }

    [Fact]
    public void Check_StartedAndPolledRecently_IsReady()
    {
        var health = new ReconcilerHealth();
        health.Started(Now.AddMinutes(-5));
        health.Polled(Now.AddSeconds(-3));

        Assert.True(health.Check(Now, Window).Ready);
    }

    [Fact]
    public void Check_PollsFailingLongerThanTheWindow_IsNotReadyAndSaysWhy()
    {
        var health = new ReconcilerHealth();
        health.Started(Now.AddMinutes(-5));
        health.Polled(Now.AddMinutes(-2));
        health.Failed("mirror table: ResourceNotFoundException");

        var (ready, reason) = health.Check(Now, Window);

        Assert.False(ready);
        Assert.Contains("ResourceNotFoundException", reason, StringComparison.Ordinal);
    }

    [Fact]
    public void PermissionBackoff_RepeatedPermissionErrors_StartsAtASecondDoublesAndStopsAtAMinute()
    {
        var idle = TimeSpan.FromMilliseconds(500);
        var waits = new List<TimeSpan>();
        var wait = TimeSpan.Zero;
        for (var i = 0; i < 9; i++)
        {
            wait = ReconcilerService.PermissionBackoff(wait, idle);
            waits.Add(wait);
        }

        Assert.Equal([1, 2, 4, 8, 16, 32, 60, 60, 60], waits.Select(w => (int)w.TotalSeconds));
    }
}
