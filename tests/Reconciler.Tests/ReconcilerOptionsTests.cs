namespace IdentityReplicator.Reconciler.Tests;

/// <summary>The reconciler's options validate themselves; each message names the setting, its value and the range.</summary>
public sealed class ReconcilerOptionsTests
{
    [Fact]
    public void Validate_Defaults_ReportNothing()
    {
        Assert.Empty(new ReconcilerOptions().Validate());
    }

    [Fact]
    public void Validate_ValuesAtTheLimits_ReportNothing()
    {
        var atLowerLimits = new ReconcilerOptions
        {
            PollInterval = TimeSpan.Zero,
            IdlePollInterval = TimeSpan.Zero,
            LookBack = TimeSpan.Zero,
            BatchSize = 1,
            MaxConcurrency = 1,
            MaxTransientFailures = 1,
            ApplyLease = TimeSpan.FromSeconds(3),
        };
        var atUpperLimits = new ReconcilerOptions
        {
            PollInterval = TimeSpan.FromMinutes(1),
            IdlePollInterval = TimeSpan.FromMinutes(5),
            LookBack = TimeSpan.FromHours(1),
            BatchSize = 1000,
            MaxConcurrency = 256,
            MaxTransientFailures = 1000,
            ApplyLease = TimeSpan.FromMinutes(10),
        };

        Assert.Empty(atLowerLimits.Validate());
        Assert.Empty(atUpperLimits.Validate());
    }

    public static TheoryData<string, Action<ReconcilerOptions>, string> Violations => new()
    {
        { "negative poll interval", o => o.PollInterval = TimeSpan.FromSeconds(-1), "Reconciler:PollInterval is -00:00:01; it must be between 00:00:00 and 00:01:00." },
        { "poll interval over a minute", o => { o.PollInterval = TimeSpan.FromSeconds(61); o.IdlePollInterval = TimeSpan.FromMinutes(2); }, "Reconciler:PollInterval is 00:01:01; it must be between 00:00:00 and 00:01:00." },
        { "idle below poll interval", o => { o.PollInterval = TimeSpan.FromSeconds(2); o.IdlePollInterval = TimeSpan.FromSeconds(1); }, "Reconciler:IdlePollInterval is 00:00:01; it must be at least PollInterval (00:00:02) and at most 00:05:00." },
        { "idle over five minutes", o => o.IdlePollInterval = TimeSpan.FromMinutes(6), "Reconciler:IdlePollInterval is 00:06:00; it must be at least PollInterval (00:00:00.1000000) and at most 00:05:00." },
        { "negative look-back", o => o.LookBack = TimeSpan.FromSeconds(-5), "Reconciler:LookBack is -00:00:05; it must be between 00:00:00 and 01:00:00." },
        { "look-back over an hour", o => o.LookBack = TimeSpan.FromMinutes(61), "Reconciler:LookBack is 01:01:00; it must be between 00:00:00 and 01:00:00." },
        { "batch size zero", o => o.BatchSize = 0, "Reconciler:BatchSize is 0; it must be between 1 and 1000." },
        { "batch size too large", o => o.BatchSize = 1001, "Reconciler:BatchSize is 1001; it must be between 1 and 1000." },
        { "concurrency zero", o => o.MaxConcurrency = 0, "Reconciler:MaxConcurrency is 0; it must be between 1 and 256." },
        { "concurrency too large", o => o.MaxConcurrency = 257, "Reconciler:MaxConcurrency is 257; it must be between 1 and 256." },
        { "no transient failures allowed", o => o.MaxTransientFailures = 0, "Reconciler:MaxTransientFailures is 0; it must be between 1 and 1000." },
        { "too many transient failures", o => o.MaxTransientFailures = 1001, "Reconciler:MaxTransientFailures is 1001; it must be between 1 and 1000." },
        { "negative look-back interval", o => o.LookBackInterval = TimeSpan.FromSeconds(-1), "Reconciler:LookBackInterval is -00:00:01; it must be between 00:00:00 and 01:00:00." },
        { "look-back interval over an hour", o => o.LookBackInterval = TimeSpan.FromMinutes(61), "Reconciler:LookBackInterval is 01:01:00; it must be between 00:00:00 and 01:00:00." },
        { "negative checkpoint interval", o => o.CheckpointInterval = TimeSpan.FromSeconds(-2), "Reconciler:CheckpointInterval is -00:00:02; it must be between 00:00:00 and 00:05:00." },
        { "apply lease too short", o => o.ApplyLease = TimeSpan.FromSeconds(2), "Reconciler:ApplyLease is 00:00:02; it must be between 00:00:03 and 00:10:00 (renewed every fifth of it while an application runs, so at least a few DynamoDB round trips; a worker in another slot that dies holding it makes others wait this long for that entity)." },
        { "apply lease over ten minutes", o => o.ApplyLease = TimeSpan.FromSeconds(601), "Reconciler:ApplyLease is 00:10:01; it must be between 00:00:03 and 00:10:00 (renewed every fifth of it while an application runs, so at least a few DynamoDB round trips; a worker in another slot that dies holding it makes others wait this long for that entity)." },
        { "checkpoint interval over five minutes", o => o.CheckpointInterval = TimeSpan.FromMinutes(6), "Reconciler:CheckpointInterval is 00:06:00; it must be between 00:00:00 and 00:05:00." },
    };

    [Fact]
    public void Validate_LookBackAndCheckpointIntervalsAtTheirLimits_ReportNothing()
    {
        var atLowerLimits = new ReconcilerOptions { LookBackInterval = TimeSpan.Zero, CheckpointInterval = TimeSpan.Zero };
        var atUpperLimits = new ReconcilerOptions { LookBackInterval = TimeSpan.FromHours(1), CheckpointInterval = TimeSpan.FromMinutes(5) };

        Assert.Empty(atLowerLimits.Validate());
        Assert.Empty(atUpperLimits.Validate());
    }

    [Theory]
    [MemberData(nameof(Violations))]
    public void Validate_OneSettingOutOfRange_ReportsOneMessageNamingItsValueAndRange(string scenario, Action<ReconcilerOptions> breakIt, string expected)
    {
        var options = new ReconcilerOptions();
        breakIt(options);

        var messages = options.Validate().ToList();

        Assert.True(messages.Count == 1, $"{scenario}: expected one message, got [{string.Join(" | ", messages)}]");
        Assert.Equal(expected, messages[0]);
    }

    [Fact]
    public void Validate_PollIntervalAboveIdlePollInterval_ReportsTheIdleIntervalWithBothValues()
    {
        var options = new ReconcilerOptions { PollInterval = TimeSpan.FromSeconds(30), IdlePollInterval = TimeSpan.FromSeconds(10) };

        var message = Assert.Single(options.Validate());

        Assert.Equal("Reconciler:IdlePollInterval is 00:00:10; it must be at least PollInterval (00:00:30) and at most 00:05:00.", message);
    }

    [Fact]
    public void Validate_SeveralSettingsOutOfRange_ReportsEachOfThem()
    {
        var options = new ReconcilerOptions { BatchSize = 0, MaxConcurrency = 0, MaxTransientFailures = 0 };

        var messages = options.Validate().ToList();

        Assert.Equal(3, messages.Count);
        Assert.Contains(messages, m => m.StartsWith("Reconciler:BatchSize", StringComparison.Ordinal));
        Assert.Contains(messages, m => m.StartsWith("Reconciler:MaxConcurrency", StringComparison.Ordinal));
        Assert.Contains(messages, m => m.StartsWith("Reconciler:MaxTransientFailures", StringComparison.Ordinal));
    }
}
