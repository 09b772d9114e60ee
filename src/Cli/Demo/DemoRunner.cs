using System.Collections.Concurrent;
using System.Security.Cryptography;
using IdentityReplicator.Cli.Hosting;
using IdentityReplicator.Core.Cognito;
using IdentityReplicator.Core.Pools;
using IdentityReplicator.Core.Quotas;
using IdentityReplicator.Reconciler.Apply;
using IdentityReplicator.Reconciler.Drift;
using IdentityReplicator.Sandbox;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace IdentityReplicator.Cli.Demo;

public sealed record DemoOptions(int Users, bool SignInByEmail = true, int Concurrency = 8, TimeSpan? Timeout = null, bool Verbose = false);

public sealed record DemoResult(
    int PrimaryUsers,
    int StandbyUsers,
    int Mismatches,
    bool Converged,
    double LagP50Ms,
    double LagP99Ms,
    double LagMaxMs,
    double WriteSeconds,
    double ElapsedSeconds,
    IReadOnlyList<string> MismatchDetails);

/// <summary>
/// The demo: starts the sandbox and the worker, creates users in the primary through the Cognito API (SignUp and
/// ConfirmSignUp for half, AdminCreateUser for the other half, with custom attributes), watches the standby until
/// every user is correct there, then compares both pools field by field. Lag runs from the primary call returning
/// to the user first being correct in the standby.
/// </summary>
public sealed class DemoRunner(ILoggerFactory loggers, TimeProvider time, Action<string> progress)
{
    private static readonly TimeSpan ObserveInterval = TimeSpan.FromMilliseconds(100);

    public async Task<DemoResult> RunAsync(DemoOptions options, CancellationToken cancellationToken)
    {
        var started = time.GetTimestamp();
        progress("Starting the sandbox (two Cognito emulators, DynamoDB, the Replicator's triggers)…");
        await using var sandbox = await SandboxEnvironment.StartAsync(new SandboxOptions { SignInByEmail = options.SignInByEmail }, loggers, time, cancellationToken);
        using var worker = WorkerHost.Build(sandbox.Configuration(), options.Verbose ? LogLevel.Debug : LogLevel.Warning);
        await worker.StartAsync(cancellationToken);
        var engine = worker.Services.GetRequiredService<ApplyEngine>();
        try
        {
            var primary = new CognitoUserDirectory(sandbox.Client(sandbox.Primary), sandbox.Primary.UserPoolId);
            var standby = new CognitoUserDirectory(sandbox.Client(sandbox.Standby), sandbox.Standby.UserPoolId);
            var users = DemoUsers.Generate(options.Users, Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(3)));
            var written = new ConcurrentDictionary<string, long>(StringComparer.Ordinal);
            var lags = new ConcurrentDictionary<string, double>(StringComparer.Ordinal);

            using var observing = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            var observer = ObserveAsync(primary, standby, engine, written, lags, observing.Token);

            progress($"Creating {options.Users} users in the primary pool ({options.Users - (options.Users / 2)} by SignUp + ConfirmSignUp, {options.Users / 2} by AdminCreateUser)…");
            var writeStarted = time.GetTimestamp();
            // The application is held to Cognito's quotas in the primary on AWS (it owns all of them there); the demo
            // drives the emulator no faster than that.
            var client = sandbox.Client(sandbox.Primary, new QuotaGovernor(new QuotaOptions { Share = 1.0 }, time, "demo-application"));
            await Parallel.ForEachAsync(
                users,
                new ParallelOptions { MaxDegreeOfParallelism = options.Concurrency, CancellationToken = cancellationToken },
                async (user, token) =>
                {
                    await CreateAsync(client, sandbox, user, options.SignInByEmail, token);
                    written[user.Email] = time.GetTimestamp();
                });
            var writeSeconds = time.GetElapsedTime(writeStarted).TotalSeconds;

            progress($"Created {users.Count} users in {writeSeconds:0.0} s; waiting for the standby to converge…");
            var deadline = time.GetUtcNow() + (options.Timeout ?? TimeSpan.FromSeconds(60 + (options.Users / 5)));
            var lastReport = 0;
            while (lags.Count < users.Count && time.GetUtcNow() < deadline)
            {
                await Task.Delay(ObserveInterval, time, cancellationToken);
                if (lags.Count - lastReport >= Math.Max(1, users.Count / 10))
                {
                    lastReport = lags.Count;
                    progress($"  {lags.Count}/{users.Count} users correct in the standby");
                }
            }

            await observing.CancelAsync();
            try
            {
                await observer;
            }
            catch (OperationCanceledException)
            {
                // Stopped on purpose.
            }

            progress("Comparing both pools field by field…");
            var comparison = await CompareAsync(primary, standby, engine, cancellationToken);
            var sorted = lags.Values.Order().ToArray();
            return new DemoResult(
                comparison.PrimaryUsers,
                comparison.StandbyUsers,
                comparison.Mismatches.Count,
                comparison.Mismatches.Count == 0 && lags.Count == users.Count,
                Percentile(sorted, 0.50),
                Percentile(sorted, 0.99),
                sorted.Length == 0 ? 0 : sorted[^1],
                writeSeconds,
                time.GetElapsedTime(started).TotalSeconds,
                comparison.Mismatches);
        }
        finally
        {
            using var stop = new CancellationTokenSource(TimeSpan.FromSeconds(10));
            await worker.StopAsync(stop.Token);
        }
    }

    private static async Task CreateAsync(CognitoIdentityProviderClient client, SandboxEnvironment sandbox, DemoUser user, bool signInByEmail, CancellationToken cancellationToken)
    {
        var name = signInByEmail ? user.Email : user.Username;
        if (user.ViaSignUp)
        {
            await client.SignUpAsync(
                new SignUpRequest(sandbox.Primary.AppClientId, name, StandbyPasswords.Create()) { UserAttributes = user.Attributes.ToAttributeList() },
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
                    TemporaryPassword = StandbyPasswords.Create(),
                },
                cancellationToken);
        }
    }

    /// <summary>Every <see cref="ObserveInterval"/>: lists both pools and notes when each written user (by email) first matches.</summary>
    private async Task ObserveAsync(
        IUserDirectory primary,
        IUserDirectory standby,
        ApplyEngine engine,
        ConcurrentDictionary<string, long> written,
        ConcurrentDictionary<string, double> lags,
        CancellationToken cancellationToken)
    {
        while (!cancellationToken.IsCancellationRequested)
        {
            await Task.Delay(ObserveInterval, time, cancellationToken);
            if (written.IsEmpty)
            {
                continue;
            }

            var now = time.GetTimestamp();
            var primaryUsers = await ListByIdentityAsync(primary, cancellationToken);
            var standbyUsers = await ListByIdentityAsync(standby, cancellationToken);
            foreach (var (identity, returnedAt) in written)
            {
                if (lags.ContainsKey(identity) || !primaryUsers.TryGetValue(identity, out var p))
                {
                    continue;
                }

                standbyUsers.TryGetValue(identity, out var s);
                if (UserComparison.Compare(p, null, s, null, engine.IsReplicated).Count == 0)
                {
                    lags[identity] = Math.Max(0, time.GetElapsedTime(returnedAt, now).TotalMilliseconds);
                }
            }
        }
    }

    private static async Task<Dictionary<string, DirectoryUser>> ListByIdentityAsync(IUserDirectory directory, CancellationToken cancellationToken)
    {
        var users = new Dictionary<string, DirectoryUser>(StringComparer.Ordinal);
        await foreach (var user in directory.ListUsersAsync(cancellationToken))
        {
            var key = user.Attributes.GetValueOrDefault("email") ?? user.Username;
            users[key] = user;
        }

        return users;
    }

    private static async Task<(int PrimaryUsers, int StandbyUsers, List<string> Mismatches)> CompareAsync(
        IUserDirectory primary, IUserDirectory standby, ApplyEngine engine, CancellationToken cancellationToken)
    {
        var primaryUsers = await ListByIdentityAsync(primary, cancellationToken);
        var standbyUsers = await ListByIdentityAsync(standby, cancellationToken);
        var mismatches = new List<string>();
        foreach (var (identity, p) in primaryUsers.OrderBy(u => u.Key, StringComparer.Ordinal))
        {
            standbyUsers.TryGetValue(identity, out var s);
            var primaryGroups = await primary.ListGroupsForUserAsync(p.Username, cancellationToken);
            var standbyGroups = s is null ? [] : await standby.ListGroupsForUserAsync(s.Username, cancellationToken);
            var differences = UserComparison.Compare(p, primaryGroups, s, standbyGroups, engine.IsReplicated);
            if (differences.Count > 0)
            {
                mismatches.Add($"{Core.Model.IdentityKeys.Fingerprint(identity)}: {string.Join(", ", differences)}");
            }
        }

        foreach (var identity in standbyUsers.Keys.Except(primaryUsers.Keys).Order(StringComparer.Ordinal))
        {
            mismatches.Add($"{Core.Model.IdentityKeys.Fingerprint(identity)}: extra in the standby");
        }

        return (primaryUsers.Values.Count(UserComparison.IsReplicated), standbyUsers.Count, mismatches);
    }

    private static double Percentile(double[] sorted, double p)
    {
        if (sorted.Length == 0)
        {
            return 0;
        }

        var rank = (int)Math.Ceiling(p * sorted.Length) - 1;
        return sorted[Math.Clamp(rank, 0, sorted.Length - 1)];
    }
}
