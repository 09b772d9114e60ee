using System.Collections.Immutable;
using System.Text.Json.Nodes;
using CsCheck;
using IdentityReplicator.Core.Mirror;
using IdentityReplicator.Core.Model;
using IdentityReplicator.Core.Pools;
using IdentityReplicator.Reconciler.Drift;
using IdentityReplicator.Reconciler.Drift.Formats;
using IdentityReplicator.Reconciler.Drift.Recoverability;

namespace IdentityReplicator.Reconciler.Tests.Drift;

/// <summary>Who can sign in after a failover: the classifier's rules as properties, and the drift report's counts on a seeded population.</summary>
public sealed class RecoverabilityTests
{
    private static readonly ImmutableHashSet<string> TargetProviders = ["Google", "Okta"];

    private static readonly Gen<DirectoryUser> Users =
        from enabled in Gen.Bool
        from status in Pick(UserStatuses.Confirmed, UserStatuses.Unconfirmed, UserStatuses.ForceChangePassword, UserStatuses.ResetRequired, UserStatuses.ExternalProvider)
        from email in Pick<string?>(null, "a@example.com")
        from emailVerified in Pick<string?>(null, "true", "false", "TRUE")
        from phone in Pick<string?>(null, "+15550100")
        from phoneVerified in Pick<string?>(null, "true", "false")
        from provider in Pick<string?>(null, "Google", "Okta", "Facebook", "not json")
        from name in Gen.String[Gen.Char.AlphaNumeric, 1, 12]
        select new DirectoryUser(
            provider is null ? name : $"{provider}_{name}",
            Guid.NewGuid().ToString(),
            Attributes(("email", email), ("email_verified", emailVerified), ("phone_number", phone), ("phone_number_verified", phoneVerified), ("identities", Identities(provider))),
            enabled,
            status);

    [Fact]
    public void Classify_AnyUser_DisabledIsNoneAndEveryOtherGetsExactlyOneKindByPrecedence()
    {
        Gen.Select(Users, Gen.Int[0, 2].Select(i => i == 0 ? (bool?)null : i == 1)).Sample((user, totp) =>
        {
            var kind = RecoverabilityClassifier.Classify(user, TargetProviders, new RecoveryFacts(totp));
            var providers = RecoverabilityClassifier.Providers(user);
            var verified = Verified(user, "email") || Verified(user, "phone_number");
            RecoveryKind? expected = !user.Enabled ? null
                : user.Status == UserStatuses.Unconfirmed ? RecoveryKind.NotReplicated
                : providers.Count > 0 ? (providers.Any(TargetProviders.Contains) ? RecoveryKind.SignInAtOnce : RecoveryKind.NeedsAdministrator)
                : totp == true ? RecoveryKind.ReEnrolTotp
                : verified ? RecoveryKind.ForgotPassword
                : RecoveryKind.NeedsAdministrator;
            return kind == expected;
        });
    }

    [Fact]
    public void Classify_NativeUserWithoutAVerifiedChannel_NeverRecoversByThemselves()
    {
        // Built directly rather than filtered from Users: a Where over a predicate this rare gave up now and then.
        var unverifiedNativeUsers =
            from status in Pick(UserStatuses.Confirmed, UserStatuses.ForceChangePassword, UserStatuses.ResetRequired)
            from email in Pick<string?>(null, "a@example.com")
            from emailVerified in Pick<string?>(null, "false", "FALSE")
            from phone in Pick<string?>(null, "+15550100")
            from phoneVerified in Pick<string?>(null, "false")
            from name in Gen.String[Gen.Char.AlphaNumeric, 1, 12]
            select new DirectoryUser(
                name,
                Guid.NewGuid().ToString(),
                Attributes(("email", email), ("email_verified", emailVerified), ("phone_number", phone), ("phone_number_verified", phoneVerified)),
                true,
                status);
        unverifiedNativeUsers.Sample(user => RecoverabilityClassifier.Classify(user, TargetProviders) == RecoveryKind.NeedsAdministrator);
    }

    [Fact]
    public void Classify_AttributesRecoveryDoesNotReadChanged_SameKind()
    {
        Gen.Select(Users, Gen.String[Gen.Char.AlphaNumeric, 0, 20]).Sample((user, noise) =>
        {
            var noisy = user with { Attributes = new Dictionary<string, string>(user.Attributes, StringComparer.Ordinal) { ["custom:tier"] = noise, ["name"] = noise } };
            return RecoverabilityClassifier.Classify(noisy, TargetProviders) == RecoverabilityClassifier.Classify(user, TargetProviders);
        });
    }

    [Fact]
    public void Tally_AnyPopulation_CountsAddUpToTheUsers()
    {
        Users.List[0, 40].Sample(users =>
        {
            var tally = new RecoverabilityTally(TargetProviders, keepUsers: true);
            users.ForEach(u => tally.Add(u));
            var section = tally.ToSection();
            return Enum.GetValues<RecoveryKind>().Sum(section.Count) + section.Disabled == users.Count
                && section.Users.Length == users.Count(u => u.Enabled);
        });
    }

    [Fact]
    public void Analyze_SeededPopulationOfEveryKind_ReportCountsMatchInEveryFormat()
    {
        // Arrange: 2 federated with a provider the target has, 1 with one it lacks, 3 with a verified email or phone,
        // 2 with no verified channel, 1 UNCONFIRMED, 1 disabled.
        DirectoryUser[] source =
        [
            Federated("Google_1", "Google"), Federated("Okta_2", "Okta"), Federated("Facebook_3", "Facebook"),
            Native("ann@example.com", ("email", "ann@example.com"), ("email_verified", "true")),
            Native("bob@example.com", ("email", "bob@example.com"), ("email_verified", "true")),
            Native("cy", ("phone_number", "+15550100"), ("phone_number_verified", "true")),
            Native("dee@example.com", ("email", "dee@example.com"), ("email_verified", "false")),
            Native("eve"),
            Native("fay@example.com", ("email", "fay@example.com")) with { Status = UserStatuses.Unconfirmed },
            Native("gus@example.com", ("email", "gus@example.com"), ("email_verified", "true")) with { Enabled = false },
        ];
        var settings = new DriftSettings(false, name => !UserProfile.IsPseudoAttribute(name)) { TargetIdentityProviders = TargetProviders };

        // Act
        var report = DriftDetector.Analyze(Inputs(source), settings, TimeProvider.System.GetUtcNow()).Report;

        // Assert
        var r = report.Recoverability!;
        Assert.Equal((2, 3, 3, 0, 1, 1), (r.SignInAtOnce, r.ForgotPassword, r.NeedsAdministrator, r.ReEnrolTotp, r.NotReplicated, r.Disabled));
        Assert.True(r.ProvidersChecked);
        Assert.Empty(r.Users);
        var json = JsonNode.Parse(DriftFormats.Render(report, DriftFormat.Json))!["recoverability"]!;
        Assert.Equal((2, 3, 3, 1), ((int)json["signInAtOnce"]!, (int)json["forgotPassword"]!, (int)json["needsAdministrator"]!, (int)json["notReplicated"]!));
        Assert.Contains("need an administrator                        3", DriftFormats.Render(report, DriftFormat.Text), StringComparison.Ordinal);
        Assert.Contains("| forgot password (verified email or phone) | 3 |", DriftFormats.Render(report, DriftFormat.Md), StringComparison.Ordinal);
        var html = DriftFormats.Render(report, DriftFormat.Html);
        Assert.Contains("id=\"recoverability-chart\"", html, StringComparison.Ordinal);
        Assert.Equal(5, html.Split("class=\"recoverability-bar\"").Length - 1);
        Assert.DoesNotContain("ann@example.com", html, StringComparison.Ordinal);

        var shown = DriftDetector.Analyze(Inputs(source), settings with { ShowValues = true }, TimeProvider.System.GetUtcNow()).Report.Recoverability!;
        Assert.Equal(["Facebook_3", "dee@example.com", "eve"], shown.Users.Where(u => u.Kind == RecoveryKind.NeedsAdministrator).Select(u => u.Username!).Order(StringComparer.Ordinal));
    }

    private static Gen<T> Pick<T>(params T[] items) => Gen.Int[0, items.Length - 1].Select(i => items[i]);

    private static DirectoryUser Federated(string username, string provider) =>
        new(username, Guid.NewGuid().ToString(), Attributes(("identities", Identities(provider))), true, UserStatuses.ExternalProvider);

    private static DirectoryUser Native(string username, params (string, string?)[] attributes) =>
        new(username, Guid.NewGuid().ToString(), Attributes(attributes), true, UserStatuses.Confirmed);

    private static Dictionary<string, string> Attributes(params (string Name, string? Value)[] attributes) =>
        attributes.Where(a => a.Value is not null).ToDictionary(a => a.Name, a => a.Value!, StringComparer.Ordinal);

    private static string? Identities(string? provider) => provider switch
    {
        null => null,
        "not json" => "not json",
        _ => new JsonArray(new JsonObject { ["providerName"] = provider, ["providerType"] = "OIDC", ["userId"] = "x" }).ToJsonString(),
    };

    private static bool Verified(DirectoryUser user, string channel) =>
        user.Attributes.ContainsKey(channel) && user.Attributes.TryGetValue(channel + "_verified", out var v) && v.Equals("true", StringComparison.OrdinalIgnoreCase);

    private static DriftInputs Inputs(IReadOnlyList<DirectoryUser> source) => new(
        new PoolInventory("primary_1", TimeProvider.System.GetUtcNow(), caseSensitive: false, source, [], new Dictionary<string, IReadOnlyCollection<string>>(StringComparer.Ordinal)),
        "us-east-1",
        new PoolInventory("standby_1", TimeProvider.System.GetUtcNow(), caseSensitive: false, [], [], new Dictionary<string, IReadOnlyCollection<string>>(StringComparer.Ordinal)),
        "us-west-2",
        new PoolDescription("standby_1", [], false, new Dictionary<string, PoolSchemaAttribute>()),
        MirrorContents.Empty,
        []);
}
