using IdentityReplicator.Core.Scheduling;

namespace IdentityReplicator.Core.Tests.Scheduling;

public sealed class RunScheduleTests
{
    private static readonly DateTimeOffset Now = new(2025, 5, 1, 10, 17, 30, TimeSpan.Zero);

    [Fact]
    public void Next_NoCron_IsOneIntervalLater()
    {
        Assert.Equal(Now.AddMinutes(15), RunSchedule.From(null, TimeSpan.FromMinutes(15)).Next(Now));
    }

    [Fact]
    public void Next_Cron_IsTheNextOccurrenceInUtc()
    {
        Assert.Equal(new DateTimeOffset(2025, 5, 2, 3, 0, 0, TimeSpan.Zero), RunSchedule.From("0 3 * * *", TimeSpan.FromMinutes(15)).Next(Now));
        Assert.Equal(new DateTimeOffset(2025, 5, 1, 10, 17, 40, TimeSpan.Zero), RunSchedule.From("*/20 * * * * *", TimeSpan.Zero).Next(Now));
    }

    [Fact]
    public void Validate_NotACron_NamesTheSettingAndTheExpectedForm()
    {
        var error = Assert.Single(RunSchedule.Validate("Drift:Schedule", "every day"));

        Assert.Contains("Drift:Schedule is 'every day'", error, StringComparison.Ordinal);
        Assert.Contains("five fields", error, StringComparison.Ordinal);
        Assert.Empty(RunSchedule.Validate("Drift:Schedule", null));
        Assert.Empty(RunSchedule.Validate("Drift:Schedule", "0 3 * * 1-5"));
    }
}
