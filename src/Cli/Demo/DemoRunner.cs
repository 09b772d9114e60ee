using System.Globalization;
using System.Security.Cryptography;
using IdentityReplicator.Cli.Hosting;
using IdentityReplicator.Core.Cognito;
using IdentityReplicator.Core.Compare;
using IdentityReplicator.Core.Pools;
using IdentityReplicator.Core.Quotas;
using IdentityReplicator.Reconciler.Apply;
using IdentityReplicator.Sandbox;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace IdentityReplicator.Cli.Demo;

internal sealed record DemoOptions(
    int Users,
    bool SignInByEmail = true,
    int Concurrency = 8,
    TimeSpan? Timeout = null,
    bool Verbose = false,
    bool Changes = true,
    TimeSpan? CloudTrailDelay = null);

internal sealed record DemoResult(
    int PrimaryUsers,
    int StandbyUsers,
    int Mismatches,
    bool Converged,
    double LagP50Ms,
    double LagP99Ms,
    double LagMaxMs,
    double EventLagP99Ms,
    IReadOnlyDictionary<string, KindStatistics> Changes,
    double WriteSeconds,
    double ElapsedSeconds,
    IReadOnlyList<string> MismatchDetails);

/// <summary>
/// The demo: starts the sandbox and the worker, creates users in the primary through the Cognito API (SignUp and
/// ConfirmSignUp for half, AdminCreateUser for the other half, with custom attributes), then makes every other kind of
/// change an application or an administrator makes — attribute edits and deletions, disable and enable, deletes,
/// groups created, updated and deleted, memberships added and removed — and watches the standby until each change is
/// correct there. Finally it compares both pools field by field. Lag runs from the primary call returning to the
/// changed user or group first being correct in the standby.
/// </summary>
internal sealed class DemoRunner(ILoggerFactory loggers, TimeProvider time, Action<string> progress)
{
    private static readonly TimeSpan ObserveInterval = TimeSpan.FromMilliseconds(250);

    /// <summary>How many times each configuration change is made (for its p50/p99).</summary>
    private const int ConfigurationRounds = 5;

    public async Task<DemoResult> RunAsync(DemoOptions options, CancellationToken cancellationToken)
    {
        var started = time.GetTimestamp();
        progress("Starting the sandbox (two Cognito emulators, DynamoDB, EventBridge, the Replicator's triggers)…");
        await using var sandbox = await SandboxEnvironment.StartAsync(
            new SandboxOptions { SignInByEmail = options.SignInByEmail, CloudTrailDelay = options.CloudTrailDelay ?? TimeSpan.Zero, Progress = progress },
            loggers,
            time,
            cancellationToken);
        using var worker = WorkerHost.Build(sandbox.Configuration(), options.Verbose ? LogLevel.Debug : LogLevel.Warning);
        await worker.StartAsync(cancellationToken);
        try
        {
            var engine = worker.Services.GetRequiredService<ApplyEngine>();
            var primary = new CognitoUserDirectory(sandbox.Client(sandbox.Primary), sandbox.Primary.UserPoolId);
            var standby = new CognitoUserDirectory(sandbox.Client(sandbox.Standby), sandbox.Standby.UserPoolId);
            var tracker = new ChangeTracker(time, engine.IsReplicated);
            var timeout = options.Timeout ?? TimeSpan.FromSeconds(60 + (options.Users / 5));

            // The application is held to Cognito's quotas in the primary on AWS (it owns all of them there); the demo
            // drives the emulator no faster than that.
            var client = sandbox.Client(sandbox.Primary, new QuotaGovernor(new QuotaOptions { Share = 1.0 }, time, "demo-application"));
            var users = DemoUsers.Generate(options.Users, Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(3)));

            progress($"Creating {options.Users} users in the primary pool ({options.Users - (options.Users / 2)} by SignUp + ConfirmSignUp, {options.Users / 2} by AdminCreateUser)…");
            var writeStarted = time.GetTimestamp();
            double writeSeconds = 0;
            async Task CreateAllAsync()
            {
                await Parallel.ForEachAsync(
                    users,
                    new ParallelOptions { MaxDegreeOfParallelism = options.Concurrency, CancellationToken = cancellationToken },
                    async (user, token) =>
                    {
                        await CreateAsync(client, sandbox, user, options.SignInByEmail, token);
                        tracker.Add(ChangeKinds.Create, user.Email);
                    });
                writeSeconds = time.GetElapsedTime(writeStarted).TotalSeconds;
                progress($"Created {users.Count} users in {writeSeconds:0.0} s; waiting for the standby…");
            }

            // The standby is watched while the primary is written: a user's lag ends when it is first seen correct.
            await WaitAsync(tracker, primary, standby, CreateAllAsync(), timeout, cancellationToken);

            DemoConfigurationResult? configuration = null;
            if (options.Changes)
            {
                var scenario = new DemoScenario(client, sandbox.Primary.UserPoolId, users, tracker, options.Concurrency, options.SignInByEmail);
                progress("Changing users and groups the way an application and its administrators do (no Cognito trigger fires for these)…");
                await WaitAsync(tracker, primary, standby, scenario.FirstRoundAsync(cancellationToken), timeout, cancellationToken);
                await WaitAsync(tracker, primary, standby, scenario.SecondRoundAsync(cancellationToken), timeout, cancellationToken);
                progress($"Changing the configuration: a confidential client, a callback URL, a scope, the password policy, an OIDC provider ({ConfigurationRounds} of each)…");
                configuration = await new DemoConfiguration(sandbox, client, time).RunAsync(ConfigurationRounds, TimeSpan.FromSeconds(30), cancellationToken);
            }

            progress("Comparing both pools field by field…");
            var primaryState = await PoolState.ReadAsync(primary, cancellationToken);
            var standbyState = await PoolState.ReadAsync(standby, cancellationToken);
            var mismatches = PoolComparison.Differences(primaryState, standbyState, engine.IsReplicated);
            mismatches.AddRange(configuration?.Problems ?? []);
            var byKind = configuration is null
                ? tracker.ByKind()
                : tracker.ByKind().Concat(configuration.ByKind).ToDictionary(k => k.Key, k => k.Value, StringComparer.Ordinal);
            var creations = tracker.LagsOf(ChangeKinds.Create);
            var events = tracker.LagsExcept(ChangeKinds.Create);
            return new DemoResult(
                primaryState.UsersByEmail.Values.Count(UserComparison.IsReplicated),
                standbyState.UsersByEmail.Count,
                mismatches.Count,
                mismatches.Count == 0 && tracker.Pending == 0,
                ChangeTracker.Percentile(creations, 0.50),
                ChangeTracker.Percentile(creations, 0.99),
                creations.Length == 0 ? 0 : creations[^1],
                ChangeTracker.Percentile(events, 0.99),
                byKind,
                writeSeconds,
                time.GetElapsedTime(started).TotalSeconds,
                mismatches);
        }
        finally
        {
            using var stop = new CancellationTokenSource(TimeSpan.FromSeconds(10));
            await worker.StopAsync(stop.Token);
        }
    }

    /// <summary>
    /// Reads both pools every <see cref="ObserveInterval"/>, while <paramref name="writing"/> makes changes and after,
    /// until every change is correct in the standby (or the timeout).
    /// </summary>
    private async Task WaitAsync(ChangeTracker tracker, IUserDirectory primary, IUserDirectory standby, Task writing, TimeSpan timeout, CancellationToken cancellationToken)
    {
        DateTimeOffset? deadline = null; // the timeout runs from the end of the writes
        var lastReported = -1;
        while (deadline is null || time.GetUtcNow() < deadline)
        {
            var finished = writing.IsCompleted;
            if (finished && deadline is null)
            {
                await writing; // a failed write ends the demo with its error
                deadline = time.GetUtcNow() + timeout;
            }

            var observedAt = time.GetTimestamp();
            var primaryState = await PoolState.ReadAsync(primary, cancellationToken);
            var standbyState = await PoolState.ReadAsync(standby, cancellationToken);
            tracker.Observe(primaryState, standbyState, observedAt);
            var pending = tracker.Pending;
            if (finished && pending == 0)
            {
                return;
            }

            if (finished && pending != lastReported)
            {
                lastReported = pending;
                progress(string.Create(CultureInfo.InvariantCulture, $"  {pending} {(pending == 1 ? "change" : "changes")} not yet in the standby"));
            }

            var pause = Task.Delay(ObserveInterval, time, cancellationToken);
            await (finished ? pause : Task.WhenAny(writing, pause));
            cancellationToken.ThrowIfCancellationRequested();
        }
    }

    /// <summary>Creates one demo user in the sandbox's primary pool the way its kind of user comes to exist.</summary>
    public static async Task CreateAsync(CognitoIdentityProviderClient client, SandboxEnvironment sandbox, DemoUser user, bool signInByEmail, CancellationToken cancellationToken)
    {
        var name = signInByEmail ? user.Email : user.Username;
        if (user.ViaSignUp)
        {
            await client.SignUpAsync(
                new SignUpRequest(sandbox.Primary.AppClientId, name, RandomPasswords.Create()) { UserAttributes = user.Attributes.ToAttributeList() },
                cancellationToken);
            await client.ConfirmSignUpAsync(new ConfirmSignUpRequest(sandbox.Primary.AppClientId, name, sandbox.ConfirmationCode), cancellationToken);
        }
        else
        {
            await client.AdminCreateUserAsync(
                new AdminCreateUserRequest
                {
                    UserPoolId = sandbox.Primary.UserPoolId,
                    Username = name,
                    UserAttributes = user.Attributes.ToAttributeList(),
                    MessageAction = "SUPPRESS",
                    TemporaryPassword = RandomPasswords.Create(),
                },
                cancellationToken);
        }
    }
}
