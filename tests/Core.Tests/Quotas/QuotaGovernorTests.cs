using System.Net;
using IdentityReplicator.Core.Cognito;
using IdentityReplicator.Core.Quotas;
using Microsoft.Extensions.Time.Testing;

namespace IdentityReplicator.Core.Tests.Quotas;

/// <summary>
/// The governor on fake time. Calls that need no waiting must finish without time moving: they are awaited with a
/// short real-time guard, so a regression that starts waiting fails instead of hanging.
/// </summary>
public sealed class QuotaGovernorTests
{
    private static readonly TimeSpan Guard = TimeSpan.FromSeconds(10);
    private static readonly TimeSpan Step = TimeSpan.FromMilliseconds(50);
    private static readonly TimeSpan FakeBudget = TimeSpan.FromMinutes(5);

    private readonly FakeTimeProvider _time = new();

    [Fact]
    public async Task ExecuteAsync_ThrottledOnceThenOk_RetriesCountsTheThrottleAndKeepsTheRate()
    {
        // Arrange
        var governor = new QuotaGovernor(new QuotaOptions(), _time, "primary");
        var attempts = 0;

        // Act
        var result = await FakeTimeDriver.RunAsync(
            _time,
            governor.ExecuteAsync("AdminGetUser", _ => Interlocked.Increment(ref attempts) == 1 ? Task.FromException<int>(Throttled()) : Task.FromResult(42), CancellationToken.None),
            Step,
            FakeBudget);

        // Assert
        Assert.Equal(42, result);
        Assert.Equal(2, attempts);
        Assert.Equal(new QuotaCounters(Calls: 2, Throttles: 1, Retries: 1), governor.Counters[QuotaCategory.UserRead]);
        var bucket = governor.BucketFor(QuotaCategory.UserRead);
        Assert.Equal(bucket.Ceiling, bucket.CurrentRate); // one throttle is chance, not evidence of a quota
    }

    [Fact]
    public async Task ExecuteAsync_InvalidParameter_FailsAtOnceWithoutRetry()
    {
        // Arrange
        var governor = new QuotaGovernor(new QuotaOptions(), _time, "standby");
        var attempts = 0;

        // Act
        var failure = await Record.ExceptionAsync(() => governor
            .ExecuteAsync<int>("AdminCreateUser", _ =>
            {
                Interlocked.Increment(ref attempts);
                return Task.FromException<int>(CognitoErrors.Create("InvalidParameterException", "Attributes did not conform to the schema"));
            }, CancellationToken.None)
            .WaitAsync(Guard));

        // Assert
        Assert.IsType<InvalidParameterException>(failure);
        Assert.Equal(1, attempts);
        Assert.Equal(new QuotaCounters(1, 0, 0), governor.Counters[QuotaCategory.UserCreation]);
    }

    [Fact]
    public async Task ExecuteAsync_InternalErrorOnce_RetriesWithoutSlowingDown()
    {
        // Arrange
        var governor = new QuotaGovernor(new QuotaOptions(), _time, "primary");
        var attempts = 0;

        // Act
        var result = await FakeTimeDriver.RunAsync(
            _time,
            governor.ExecuteAsync("AdminGetUser", _ => Interlocked.Increment(ref attempts) == 1
                ? Task.FromException<string>(CognitoErrors.Create("InternalErrorException", "Internal error", HttpStatusCode.InternalServerError))
                : Task.FromResult("ok"), CancellationToken.None),
            Step,
            FakeBudget);

        // Assert
        Assert.Equal("ok", result);
        Assert.Equal(new QuotaCounters(2, 0, 1), governor.Counters[QuotaCategory.UserRead]);
        Assert.Equal(governor.BucketFor(QuotaCategory.UserRead).Ceiling, governor.BucketFor(QuotaCategory.UserRead).CurrentRate);
    }

    [Fact]
    public async Task ExecuteAsync_NetworkFaultOnce_Retries()
    {
        // Arrange
        var governor = new QuotaGovernor(new QuotaOptions(), _time, "primary");
        var attempts = 0;

        // Act
        var result = await FakeTimeDriver.RunAsync(
            _time,
            governor.ExecuteAsync("ListUsers", _ => Interlocked.Increment(ref attempts) == 1
                ? Task.FromException<int>(new HttpRequestException("connection reset"))
                : Task.FromResult(7), CancellationToken.None),
            Step,
            FakeBudget);

        // Assert
        Assert.Equal(7, result);
        Assert.Equal(new QuotaCounters(2, 0, 1), governor.Counters[QuotaCategory.UserList]);
    }

    [Fact]
    public async Task ExecuteAsync_AlwaysThrottled_GivesUpAfterMaxRetriesWithTheThrottlingError()
    {
        // Arrange
        var governor = new QuotaGovernor(new QuotaOptions { MaxRetries = 2 }, _time, "primary");
        var attempts = 0;

        // Act
        var failure = await Record.ExceptionAsync(() => FakeTimeDriver.RunAsync(
            _time,
            governor.ExecuteAsync<int>("AdminUpdateUserAttributes", _ =>
            {
                Interlocked.Increment(ref attempts);
                return Task.FromException<int>(Throttled());
            }, CancellationToken.None),
            Step,
            FakeBudget));

        // Assert: three calls, all three answered "too many requests" (Counters counts throttled replies), two retries.
        Assert.IsType<TooManyRequestsException>(failure);
        Assert.Equal(3, attempts);
        Assert.Equal(new QuotaCounters(Calls: 3, Throttles: 3, Retries: 2), governor.Counters[QuotaCategory.UserUpdate]);
    }

    [Fact]
    public async Task ExecuteAsync_MaxRetriesZeroWhichValidationAccepts_RunsTheCallOnce()
    {
        // Arrange: QuotaOptions allows MaxRetries from 0 to 20; 0 means "no retries", not "no calls".
        var options = new QuotaOptions { MaxRetries = 0 };
        Assert.Empty(options.Validate("Quotas:Primary"));
        var governor = new QuotaGovernor(options, _time, "primary");

        // Act
        var outcome = await Record.ExceptionAsync(() => governor.ExecuteAsync("AdminGetUser", _ => Task.FromResult(42), CancellationToken.None).WaitAsync(Guard));

        // Assert
        Assert.Null(outcome);
        Assert.Equal(new QuotaCounters(1, 0, 0), governor.Counters[QuotaCategory.UserRead]);
    }

    [Fact]
    public async Task ExecuteAsync_QueuedForATokenLongerThanTheAttemptTimeout_EachCallRunsOnceWithoutTimingOut()
    {
        // Arrange: 1 call/s and a 1 s attempt timeout; the fifth caller waits 4 s for its token. AttemptTimeout is
        // "time allowed for one attempt of one call": waiting for the budget is not part of the call.
        var options = new QuotaOptions
        {
            Rates = new(StringComparer.OrdinalIgnoreCase) { ["UserCreation"] = 1 },
            AttemptTimeout = TimeSpan.FromSeconds(1),
            MaxRetries = 1,
        };
        var governor = new QuotaGovernor(options, _time, "standby");
        var attempts = 0;

        // Act
        var calls = Enumerable.Range(0, 5)
            .Select(i => governor.ExecuteAsync("AdminCreateUser", _ => { Interlocked.Increment(ref attempts); return Task.FromResult(i); }, CancellationToken.None))
            .ToList();
        var outcome = await Record.ExceptionAsync(() => FakeTimeDriver.DriveAsync(_time, Task.WhenAll(calls), Step, TimeSpan.FromMinutes(1)));

        // Assert
        Assert.Null(outcome);
        Assert.All(calls, c => Assert.True(c.IsCompletedSuccessfully, $"a queued call failed: {c.Exception?.InnerException?.Message}"));
        Assert.Equal(5, attempts);
        Assert.Equal(0, governor.Counters[QuotaCategory.UserCreation].Retries);
    }

    [Fact]
    public async Task ExecuteAsync_OneCategoryThrottledAndQueued_OtherCategoryRunsAtOnce()
    {
        // Arrange: UserCreation at 1 call/s, so a third creation waits 2 s of fake time.
        var options = new QuotaOptions { Rates = new(StringComparer.OrdinalIgnoreCase) { ["UserCreation"] = 1 } };
        var governor = new QuotaGovernor(options, _time, "standby");
        var created = 0;
        var creations = Enumerable.Range(0, 3)
            .Select(_ => governor.ExecuteAsync("AdminCreateUser", _ => Task.FromResult(Interlocked.Increment(ref created)), CancellationToken.None))
            .ToList();

        await creations[0].WaitAsync(Guard);

        // Act: fake time does not move.
        var read = await governor.ExecuteAsync("AdminGetUser", _ => Task.FromResult("read"), CancellationToken.None).WaitAsync(Guard);

        // Assert
        Assert.Equal("read", read);
        Assert.Equal(1, created);
        Assert.Equal(2, creations.Count(c => !c.IsCompleted));
        var reads = governor.BucketFor(QuotaCategory.UserRead);
        Assert.Equal(reads.Ceiling, reads.CurrentRate);

        await FakeTimeDriver.DriveAsync(_time, Task.WhenAll(creations), Step, FakeBudget);
        Assert.Equal(3, created);
    }

    [Fact]
    public async Task ExecuteAsync_ManyCallsInOneCategory_ArePacedAtItsBudget()
    {
        // Arrange
        var options = new QuotaOptions { Rates = new(StringComparer.OrdinalIgnoreCase) { ["UserRead"] = 10 } };
        var governor = new QuotaGovernor(options, _time, "primary");

        // Act
        var calls = Enumerable.Range(0, 11).Select(i => governor.ExecuteAsync("AdminGetUser", _ => Task.FromResult(i), CancellationToken.None)).ToList();
        await calls[0].WaitAsync(Guard);

        // Assert: the eleventh call holds the slot at 1 s.
        Assert.Equal(10, calls.Count(c => !c.IsCompleted));
        _time.Advance(TimeSpan.FromSeconds(0.95));
        await Task.WhenAll(calls.Take(10)).WaitAsync(Guard);
        Assert.False(calls[10].IsCompleted);
        _time.Advance(TimeSpan.FromSeconds(0.1));
        Assert.Equal(10, await calls[10].WaitAsync(Guard));
        Assert.Equal(11, governor.Counters[QuotaCategory.UserRead].Calls);
    }

    [Fact]
    public async Task ExecuteAsync_UnknownOperation_CountsAgainstUserPoolRead()
    {
        // Arrange
        var governor = new QuotaGovernor(new QuotaOptions(), _time, "primary");

        // Act
        await governor.ExecuteAsync("GetCSVHeader", _ => Task.FromResult(0), CancellationToken.None).WaitAsync(Guard);

        // Assert
        Assert.Equal(QuotaCategory.UserPoolRead, Assert.Single(governor.Counters).Key);
    }

    [Fact]
    public async Task ExecuteAsync_AlreadyCancelled_NeverCallsTheService()
    {
        // Arrange
        var governor = new QuotaGovernor(new QuotaOptions(), _time, "primary");
        var attempts = 0;

        // Act
        var failure = await Record.ExceptionAsync(() => governor
            .ExecuteAsync("AdminGetUser", _ => Task.FromResult(Interlocked.Increment(ref attempts)), new CancellationToken(canceled: true))
            .WaitAsync(Guard));

        // Assert
        Assert.IsAssignableFrom<OperationCanceledException>(failure);
        Assert.Equal(0, attempts);
    }

    [Fact]
    public void Constructor_InvalidOptions_ThrowsNamingTheSetting()
    {
        // Act
        var exception = Assert.Throws<ArgumentException>(() => new QuotaGovernor(new QuotaOptions { MaxRetries = 50 }, _time, "primary"));

        // Assert
        Assert.Contains("Quotas:MaxRetries is 50", exception.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ExecuteAsync_NotFoundRepliesWithAFifthThrottled_KeepsTheRate()
    {
        // Arrange: the reconciler reads a standby user before creating it, so many reads answer UserNotFoundException.
        // Those replies were let through by the quota and count as unthrottled; otherwise the bucket would see only
        // the throttles (every fifth call, once) and take them for the whole of its traffic.
        var options = new QuotaOptions { Rates = new(StringComparer.OrdinalIgnoreCase) { ["UserRead"] = 20 } };
        var governor = new QuotaGovernor(options, _time, "standby");

        // Act
        for (var i = 0; i < 120; i++)
        {
            var attempts = 0;
            var call = governor.ExecuteAsync<int>("AdminGetUser", _ => Task.FromException<int>(Interlocked.Increment(ref attempts) == 1 && i % 5 == 0
                ? Throttled()
                : CognitoErrors.Create("UserNotFoundException", "User does not exist.")), CancellationToken.None);
            var failure = await Record.ExceptionAsync(() => FakeTimeDriver.RunAsync(_time, call, Step, FakeBudget));
            Assert.IsType<UserNotFoundException>(failure);
        }

        // Assert
        var bucket = governor.BucketFor(QuotaCategory.UserRead);
        Assert.True(bucket.CurrentRate >= 0.6 * bucket.Ceiling, $"the rate fell to {bucket.CurrentRate} of {bucket.Ceiling}");
        Assert.Equal(24, governor.Counters[QuotaCategory.UserRead].Throttles);
    }

    [Theory]
    [InlineData("AdminGetUser", QuotaCategory.UserRead)]
    [InlineData("AdminCreateUser", QuotaCategory.UserCreation)]
    [InlineData("AdminUpdateUserAttributes", QuotaCategory.UserUpdate)]
    [InlineData("AdminDeleteUser", QuotaCategory.UserUpdate)]
    [InlineData("AdminSetUserPassword", QuotaCategory.UserAccountRecovery)]
    [InlineData("AdminListGroupsForUser", QuotaCategory.UserResourceRead)]
    [InlineData("AdminAddUserToGroup", QuotaCategory.UserResourceUpdate)]
    [InlineData("ListUsers", QuotaCategory.UserList)]
    [InlineData("ListUsersInGroup", QuotaCategory.UserList)]
    [InlineData("DescribeUserPool", QuotaCategory.UserPoolRead)]
    [InlineData("ListGroups", QuotaCategory.UserPoolResourceRead)]
    [InlineData("CreateGroup", QuotaCategory.UserPoolResourceUpdate)]
    [InlineData("InitiateAuth", QuotaCategory.UserAuthentication)]
    [InlineData("SomethingNew", QuotaCategory.UserPoolRead)]
    public void CategoryOf_Operation_IsItsDocumentedQuotaCategory(string operation, QuotaCategory expected)
    {
        // Act / Assert
        Assert.Equal(expected, CognitoQuotas.CategoryOf(operation));
    }

    private static TooManyRequestsException Throttled() =>
        (TooManyRequestsException)CognitoErrors.Create("TooManyRequestsException", "Rate exceeded");
}
