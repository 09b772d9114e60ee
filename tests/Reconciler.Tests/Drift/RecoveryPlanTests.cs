using System.Collections.Immutable;
using System.Text.Json.Nodes;
using CsCheck;
using IdentityReplicator.Core.Configuration;
using IdentityReplicator.Core.Control;
using IdentityReplicator.Core.Mirror;
using IdentityReplicator.Core.Model;
using IdentityReplicator.Reconciler.Drift;
using IdentityReplicator.Reconciler.Drift.Formats;
using IdentityReplicator.Reconciler.Drift.Recoverability;
using IdentityReplicator.Reconciler.Sync;
using IdentityReplicator.Reconciler.Tests.Apply;
using IdentityReplicator.TestSupport;
using Microsoft.Extensions.Logging.Abstractions;
using NSubstitute;

namespace IdentityReplicator.Reconciler.Tests.Drift;

/// <summary>
/// <c>idrep users recovery-plan</c>'s library half: who needs what after a failover, counted from the source pool with
/// the target's identity providers and the source's TOTP enrolments, written as text, JSON or CSV.
/// </summary>
public sealed class RecoveryPlanTests
{
    private static readonly DateTimeOffset Now = new(2026, 12, 7, 22, 0, 0, TimeSpan.Zero);

    [Fact]
    public async Task BuildAsync_SeededPopulationOfEveryKind_CountsMatchAndProvidersAndTotpAreChecked()
    {
        // Arrange: 2 federated (Google, which the target has), 1 federated (Facebook, which it lacks), 3 with a verified
        // channel, 2 without, 1 with TOTP (and a verified email), 1 UNCONFIRMED, 1 disabled.
        var (source, facts) = Population();

        // Act
        var plan = await RecoveryPlanner.BuildAsync(source, "us-west-2_standby1", "us-west-2", facts, showValues: false, caseSensitive: false, Now, CancellationToken.None);

        // Assert
        var c = plan.Counts;
        Assert.Equal((2, 3, 3, 1, 1, 1), (c.SignInAtOnce, c.ForgotPassword, c.NeedsAdministrator, c.ReEnrolTotp, c.NotReplicated, c.Disabled));
        Assert.True(c.ProvidersChecked);
        Assert.True(c.TotpChecked);
        Assert.Equal(10, plan.Users.Length);
        Assert.Equal(["ann@example.com"], facts.TotpReads.Where(u => u == "ann@example.com"));
        Assert.DoesNotContain(facts.TotpReads, u => u.StartsWith("Google_", StringComparison.Ordinal) || u == "fay@example.com");
    }

    [Fact]
    public async Task DriftReport_SamePopulationWithFacts_RecoverabilityMatchesThePlanWithProvidersAndTotpCheckedInEveryFormat()
    {
        // Arrange: the plan's population, reported by the drift reporter over a compact read (what `idrep drift` runs).
        var (source, facts) = Population();
        var reporter = new DriftReporter(
            Scope(source), new Converger(), new SyncOptions(), NullLogger<DriftReporter>.Instance, recoveryFacts: (from, to) => from == source.PoolId ? facts : null);

        // Act
        var report = await reporter.RunAsync(new DriftRequest(), CancellationToken.None);
        var shown = await reporter.RunAsync(new DriftRequest(ShowValues: true), CancellationToken.None);

        // Assert: the plan's counts, both facts read, in every format; the TOTP user's name only with values shown.
        var r = report.Recoverability!;
        Assert.Equal((2, 3, 3, 1, 1, 1), (r.SignInAtOnce, r.ForgotPassword, r.NeedsAdministrator, r.ReEnrolTotp, r.NotReplicated, r.Disabled));
        Assert.True(r.ProvidersChecked);
        Assert.True(r.TotpChecked);
        var json = JsonNode.Parse(DriftFormats.Render(report, DriftFormat.Json))!["recoverability"]!;
        Assert.Equal(
            (2, 3, 3, 1, 1, 1, true, true),
            ((int)json["signInAtOnce"]!, (int)json["forgotPassword"]!, (int)json["needsAdministrator"]!, (int)json["reEnrolTotp"]!, (int)json["notReplicated"]!, (int)json["disabled"]!,
                (bool)json["providersChecked"]!, (bool)json["totpChecked"]!));
        var text = DriftFormats.Render(report, DriftFormat.Text);
        Assert.Contains("re-enrol TOTP                                1", text, StringComparison.Ordinal);
        Assert.Contains("sign in at once (federated)                  2", text, StringComparison.Ordinal);
        var md = DriftFormats.Render(report, DriftFormat.Md);
        Assert.Contains("| re-enrol TOTP | 1 |", md, StringComparison.Ordinal);
        Assert.Contains("| need an administrator | 3 |", md, StringComparison.Ordinal);
        var html = DriftFormats.Render(report, DriftFormat.Html);
        Assert.Contains("data-kind=\"reEnrolTotp\"", html, StringComparison.Ordinal);
        foreach (var rendered in new[] { text, md, html })
        {
            Assert.DoesNotContain("assume their provider is configured", rendered, StringComparison.Ordinal);
            Assert.DoesNotContain("TOTP enrolment not read", rendered, StringComparison.Ordinal);
            Assert.DoesNotContain("ann@example.com", rendered, StringComparison.Ordinal);
        }

        Assert.Equal(["ann@example.com"], shown.Recoverability!.Users.Where(u => u.Kind == RecoveryKind.ReEnrolTotp).Select(u => u.Username));
        Assert.Equal(["Facebook_3", "dee@example.com", "xq-user"], shown.Recoverability.Users.Where(u => u.Kind == RecoveryKind.NeedsAdministrator).Select(u => u.Username!).Order(StringComparer.Ordinal));
        Assert.DoesNotContain(facts.TotpReads, u => u.StartsWith("Google_", StringComparison.Ordinal) || u is "fay@example.com" or "gus@example.com");
    }

    [Fact]
    public async Task DriftReport_TotpReadRefused_FailsWithTheReadsExceptionInsteadOfHanging()
    {
        var (source, facts) = Population();
        var refused = facts with { TotpFailure = new Core.Cognito.NotAuthorizedException(new Core.Aws.AwsErrorInfo("NotAuthorizedException", "AdminGetUser refused", System.Net.HttpStatusCode.BadRequest, null)) };
        var reporter = new DriftReporter(Scope(source), new Converger(), new SyncOptions(), NullLogger<DriftReporter>.Instance, recoveryFacts: (_, _) => refused);

        var run = reporter.RunAsync(new DriftRequest(), CancellationToken.None).WaitAsync(TimeSpan.FromSeconds(30));

        await Assert.ThrowsAsync<Core.Cognito.NotAuthorizedException>(() => run);
    }

    [Fact]
    public async Task DriftReport_TotpEnrolmentNotRead_ReadsNoUserProvidersStillCheckedAndSaysSo()
    {
        var (source, facts) = Population();
        var reporter = new DriftReporter(Scope(source), new Converger(), new SyncOptions(), NullLogger<DriftReporter>.Instance, recoveryFacts: (_, _) => new WithoutTotpEnrolment(facts));

        var report = await reporter.RunAsync(new DriftRequest(), CancellationToken.None);

        Assert.Empty(facts.TotpReads);
        Assert.Equal((2, 0, true, false), (report.Recoverability!.SignInAtOnce, report.Recoverability.ReEnrolTotp, report.Recoverability.ProvidersChecked, report.Recoverability.TotpChecked));
        Assert.Contains("TOTP enrolment not read", DriftFormats.Render(report, DriftFormat.Md), StringComparison.Ordinal);
    }

    [Fact]
    public async Task BuildAsync_TargetProvidersUnreadable_FederatedAssumedConfiguredAndSaysSo()
    {
        var (source, facts) = Population();
        var plan = await RecoveryPlanner.BuildAsync(source, "us-west-2_standby1", "us-west-2", facts with { Providers = null }, false, false, Now, CancellationToken.None);

        Assert.False(plan.Counts.ProvidersChecked);
        Assert.Equal(3, plan.Counts.SignInAtOnce);
        Assert.Contains("federated users assume their provider is configured in the target", RecoveryPlanFormats.Render(plan, RecoveryPlanFormat.Text), StringComparison.Ordinal);
    }

    [Fact]
    public async Task BuildAsync_SourceOffersNoTotp_ReadsNoUserAndCountsNone()
    {
        var (source, facts) = Population();
        var noTotp = facts with { OffersTotp = false };
        var plan = await RecoveryPlanner.BuildAsync(source, "us-west-2_standby1", "us-west-2", noTotp, false, false, Now, CancellationToken.None);

        Assert.Empty(noTotp.TotpReads);
        Assert.Equal(0, plan.Counts.ReEnrolTotp);
        Assert.True(plan.Counts.TotpChecked);
    }

    [Fact]
    public async Task Render_WithoutShowValues_HasNoPersonalDataInAnyFormat_ButAKeyHashPerUser()
    {
        var (source, facts) = Population();
        var plan = await RecoveryPlanner.BuildAsync(source, "us-west-2_standby1", "us-west-2", facts, showValues: false, caseSensitive: false, Now, CancellationToken.None);

        foreach (var format in Enum.GetValues<RecoveryPlanFormat>())
        {
            var rendered = RecoveryPlanFormats.Render(plan, format);
            Assert.DoesNotContain("@example.com", rendered, StringComparison.Ordinal);
            Assert.DoesNotContain("+1555", rendered, StringComparison.Ordinal);
            Assert.DoesNotContain("Google_", rendered, StringComparison.Ordinal);
            Assert.DoesNotContain("xq-user", rendered, StringComparison.Ordinal);
            Assert.Contains(IdentityKeys.Fingerprint("xq-user"), rendered, StringComparison.Ordinal);
        }

        var json = JsonNode.Parse(RecoveryPlanFormats.Render(plan, RecoveryPlanFormat.Json))!;
        Assert.Equal(3, (int)json["recoverability"]!["needsAdministrator"]!);
        Assert.True((bool)json["recoverability"]!["providersChecked"]!);
        var admin = json["users"]!.AsArray().Where(u => (string?)u!["kind"] == "needsAdministrator").ToList();
        Assert.Equal(3, admin.Count);
        Assert.All(admin, u => Assert.Equal("admin-reset", (string?)u!["action"]));
        Assert.All(json["users"]!.AsArray(), u => Assert.Null(u!["username"]));
    }

    [Fact]
    public async Task Render_Csv_HeaderThenOneQuotedRowPerUser()
    {
        // Arrange: usernames a spreadsheet would misread (a comma, a quote, a line break, a formula).
        var source = new InMemoryUserDirectory("us-east-1_primary1");
        source.Seed("plain", Verified("email", "plain@example.com"));
        source.Seed("comma,name", Verified("email", "c@example.com"));
        source.Seed("say \"hi\"", Verified("phone_number", "+15550100"));
        source.Seed("two\nlines", new Dictionary<string, string>(StringComparer.Ordinal));
        source.Seed("=HYPERLINK(\"x\")", new Dictionary<string, string>(StringComparer.Ordinal));
        var plan = await RecoveryPlanner.BuildAsync(source, "us-west-2_standby1", "us-west-2", new FakeFacts(), showValues: true, caseSensitive: false, Now, CancellationToken.None);

        // Act
        var csv = RecoveryPlanFormats.Render(plan, RecoveryPlanFormat.Csv);
        var hidden = RecoveryPlanFormats.Render(plan with { ShowValues = false, Users = [.. plan.Users.Select(u => u with { Username = null, Email = null, PhoneNumber = null })] }, RecoveryPlanFormat.Csv);

        // Assert
        var lines = csv.Split("\r\n");
        Assert.Equal("kind,action,keyHash,username,email,phoneNumber", lines[0]);
        Assert.Equal("kind,action,keyHash", hidden.Split("\r\n")[0]);
        Assert.Contains($"forgotPassword,forgot-password,{IdentityKeys.Fingerprint("comma,name")},\"comma,name\",c@example.com,", csv, StringComparison.Ordinal);
        Assert.Contains($",{IdentityKeys.Fingerprint("say \"hi\"")},\"say \"\"hi\"\"\",,+15550100", csv, StringComparison.Ordinal);
        Assert.Contains(",\"two\nlines\",,", csv, StringComparison.Ordinal);
        Assert.Contains(",\"'=HYPERLINK(\"\"x\"\")\",,", csv, StringComparison.Ordinal);
        Assert.EndsWith("\r\n", csv, StringComparison.Ordinal);
        Assert.Equal(6, hidden.Split("\r\n", StringSplitOptions.RemoveEmptyEntries).Length);
    }

    [Fact]
    public void CsvField_AnyText_ReadsBackAsTheSameText()
    {
        Gen.String[Gen.Char[" ,\"\n\r=+-@abc1"], 0, 12].Sample(text =>
        {
            var field = RecoveryPlanFormats.CsvField(text, phoneNumber: false);
            var inner = field.StartsWith('"') ? field[1..^1].Replace("\"\"", "\"", StringComparison.Ordinal) : field;
            var unquoted = !field.StartsWith('"') || field.EndsWith('"');
            var guarded = text.Length > 0 && "=+-@".Contains(text[0], StringComparison.Ordinal);
            var noBareQuote = !(field.StartsWith('"') ? field[1..^1].Replace("\"\"", string.Empty, StringComparison.Ordinal) : field).Contains('"', StringComparison.Ordinal);
            return unquoted && noBareQuote && inner == (guarded ? "'" + text : text);
        });
    }

    private static (InMemoryUserDirectory Source, FakeFacts Facts) Population()
    {
        var source = new InMemoryUserDirectory("us-east-1_primary1");
        source.Seed("Google_1", Identity("Google"), status: UserStatuses.ExternalProvider);
        source.Seed("Google_2", Identity("Google"), status: UserStatuses.ExternalProvider);
        source.Seed("Facebook_3", Identity("Facebook"), status: UserStatuses.ExternalProvider);
        source.Seed("ann@example.com", Verified("email", "ann@example.com"));
        source.Seed("bob@example.com", Verified("email", "bob@example.com"));
        source.Seed("cy", Verified("phone_number", "+15550100"));
        source.Seed("hal@example.com", Verified("email", "hal@example.com"));
        source.Seed("dee@example.com", new Dictionary<string, string>(StringComparer.Ordinal) { ["email"] = "dee@example.com", ["email_verified"] = "false" });
        source.Seed("xq-user", new Dictionary<string, string>(StringComparer.Ordinal));
        source.Seed("fay@example.com", new Dictionary<string, string>(StringComparer.Ordinal) { ["email"] = "fay@example.com" }, status: UserStatuses.Unconfirmed);
        source.Seed("gus@example.com", Verified("email", "gus@example.com"), enabled: false);
        return (source, new FakeFacts { Totp = ["ann@example.com"] });
    }

    /// <summary>A scope whose control names <paramref name="source"/> as the source and an empty in-memory standby as the target.</summary>
    private static SyncScope Scope(InMemoryUserDirectory source)
    {
        var harness = new StandbyHarness(PoolKind.Username);
        var control = new ReplicationControl
        {
            Epoch = 1,
            SourceRegion = "us-east-1",
            SourcePoolId = source.PoolId,
            TargetRegion = StandbyHarness.Region,
            TargetPoolId = harness.Standby.PoolId,
        };
        var store = Substitute.For<IReplicationControlStore>();
        store.GetAsync(Arg.Any<CancellationToken>()).Returns(control);
        var catalog = Substitute.For<IMirrorCatalog>();
        catalog.ReadAllAsync(Arg.Any<string?>(), Arg.Any<CancellationToken>()).Returns(MirrorContents.Empty);
        return new SyncScope(
            new ReplicationControlReader(store, control, TimeProvider.System, TimeSpan.Zero),
            new PoolEnd(source, "us-east-1", Substitute.For<IMirrorStore>(), catalog, new InMemoryReplicaState(), new StandbyHarness(PoolKind.Username).Engine),
            new PoolEnd(harness.Intercepted, StandbyHarness.Region, Substitute.For<IMirrorStore>(), catalog, harness.State, harness.Engine),
            new ReplicationOptions(),
            TimeProvider.System);
    }

    private static Dictionary<string, string> Verified(string channel, string value) =>
        new(StringComparer.Ordinal) { [channel] = value, [channel + "_verified"] = "true" };

    private static Dictionary<string, string> Identity(string provider) =>
        new(StringComparer.Ordinal) { ["identities"] = new JsonArray(new JsonObject { ["providerName"] = provider, ["providerType"] = "OIDC", ["userId"] = "x" }).ToJsonString() };

    /// <summary>The target has Google; the source offers TOTP and the users in <see cref="Totp"/> enrolled.</summary>
    private sealed record FakeFacts : IRecoveryFactsReader
    {
        public IReadOnlySet<string>? Providers { get; init; } = ImmutableHashSet.Create("Google");

        public bool OffersTotp { get; init; } = true;

        public ImmutableHashSet<string> Totp { get; init; } = [];

        public List<string> TotpReads { get; } = [];

        public Exception? TotpFailure { get; init; }

        public Task<IReadOnlySet<string>?> TargetProvidersAsync(CancellationToken cancellationToken) => Task.FromResult(Providers);

        public Task<bool?> SourceOffersTotpAsync(CancellationToken cancellationToken) => Task.FromResult<bool?>(OffersTotp);

        public Task<bool> TotpEnrolledAsync(string username, CancellationToken cancellationToken)
        {
            lock (TotpReads)
            {
                TotpReads.Add(username);
            }

            return TotpFailure is not null ? Task.FromException<bool>(TotpFailure) : Task.FromResult(Totp.Contains(username));
        }
    }
}
