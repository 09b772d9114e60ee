using System.Collections.Immutable;
using System.Text.Json.Nodes;
using CsCheck;
using IdentityReplicator.Core.Model;
using IdentityReplicator.Reconciler.Drift.Formats;
using IdentityReplicator.Reconciler.Drift.Recoverability;
using IdentityReplicator.TestSupport;

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

        public Task<IReadOnlySet<string>?> TargetProvidersAsync(CancellationToken cancellationToken) => Task.FromResult(Providers);

        public Task<bool?> SourceOffersTotpAsync(CancellationToken cancellationToken) => Task.FromResult<bool?>(OffersTotp);

        public Task<bool> TotpEnrolledAsync(string username, CancellationToken cancellationToken)
        {
            lock (TotpReads)
            {
                TotpReads.Add(username);
            }

            return Task.FromResult(Totp.Contains(username));
        }
    }
}
