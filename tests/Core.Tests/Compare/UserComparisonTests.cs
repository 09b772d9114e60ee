using CsCheck;
using IdentityReplicator.Core.Compare;
using IdentityReplicator.Core.Model;
using IdentityReplicator.Core.Pools;

namespace IdentityReplicator.Core.Tests.Compare;

/// <summary>The drift comparison: replication's rules, differences by field name, never values.</summary>
public sealed class UserComparisonTests
{
    private static readonly Func<string, bool> AllButExcluded = name =>
        !UserProfile.IsPseudoAttribute(name) && name != "identities" && name != "custom:department";

    private static DirectoryUser User(string status = UserStatuses.Confirmed, bool enabled = true, params (string Name, string Value)[] attributes) =>
        new("u-1", Guid.NewGuid().ToString(), attributes.ToDictionary(a => a.Name, a => a.Value, StringComparer.Ordinal), enabled, status);

    [Fact]
    public void Compare_SameUser_ReportsNothing()
    {
        var source = User(attributes: [("email", "a@example.com"), ("email_verified", "true"), ("custom:tier", "gold")]);
        var target = source with { Username = Guid.NewGuid().ToString(), Sub = Guid.NewGuid().ToString() };

        Assert.Empty(UserComparison.Compare(source, ["admins"], target, ["admins"], AllButExcluded));
    }

    [Fact]
    public void Compare_TargetMissing_ReportsMissing()
    {
        var source = User(attributes: [("email", "a@example.com")]);

        Assert.Equal([UserComparison.Missing], UserComparison.Compare(source, [], null, null, AllButExcluded));
    }

    [Theory]
    [InlineData(UserStatuses.Unconfirmed)]
    [InlineData(UserStatuses.ExternalProvider)]
    [InlineData(UserStatuses.Archived)]
    [InlineData(UserStatuses.Unknown)]
    public void Compare_SourceStatusNotReplicated_ReportsNothingEvenWhenTargetDiffersOrIsMissing(string status)
    {
        var source = User(status, attributes: [("email", "a@example.com")]);
        var target = User(UserStatuses.Confirmed, enabled: false, attributes: [("email", "b@example.com")]);

        Assert.Empty(UserComparison.Compare(source, ["admins"], null, null, AllButExcluded));
        Assert.Empty(UserComparison.Compare(source, ["admins"], target, [], AllButExcluded));
        Assert.False(UserComparison.IsReplicated(source));
    }

    [Fact]
    public void Compare_AttributeDifferences_AreReportedByNameInOrderWithoutValues()
    {
        var source = User(attributes: [("email", "primary-secret@example.com"), ("given_name", "PrimaryName"), ("custom:tier", "gold")]);
        var target = User(attributes: [("email", "standby-secret@example.com"), ("custom:tier", "gold"), ("locale", "xx-SECRET")]);

        var differences = UserComparison.Compare(source, null, target, null, AllButExcluded);

        Assert.Equal(["attribute:email", "attribute:given_name", "attribute:locale"], differences);
        foreach (var value in new[] { "primary-secret", "standby-secret", "PrimaryName", "xx-SECRET", "gold" })
        {
            Assert.DoesNotContain(differences, d => d.Contains(value, StringComparison.OrdinalIgnoreCase));
        }
    }

    [Fact]
    public void Compare_UnreplicatedAttributes_AreIgnored()
    {
        var source = User(attributes: [("custom:department", "sales"), ("identities", "[1]"), ("cognito:mfa_enabled", "true")]);
        var target = User(attributes: [("custom:department", "hr"), ("sub", "other"), ("cognito:user_status", "CONFIRMED")]);

        Assert.Empty(UserComparison.Compare(source, null, target, null, AllButExcluded));
    }

    [Theory]
    [InlineData("email_verified")]
    [InlineData("phone_number_verified")]
    public void Compare_MissingVerifiedFlag_CountsAsFalse(string flag)
    {
        var missing = User();
        var isFalse = User(attributes: [(flag, "false")]);
        var isTrue = User(attributes: [(flag, "true")]);

        Assert.Empty(UserComparison.Compare(missing, null, isFalse, null, AllButExcluded));
        Assert.Empty(UserComparison.Compare(isFalse, null, missing, null, AllButExcluded));
        Assert.Equal([$"attribute:{flag}"], UserComparison.Compare(missing, null, isTrue, null, AllButExcluded));
        Assert.Equal([$"attribute:{flag}"], UserComparison.Compare(isTrue, null, missing, null, AllButExcluded));
    }

    [Fact]
    public void Compare_MissingOrdinaryAttribute_IsNotNormalised()
    {
        var missing = User();
        var empty = User(attributes: [("locale", "false")]);

        Assert.Equal(["attribute:locale"], UserComparison.Compare(missing, null, empty, null, AllButExcluded));
    }

    [Fact]
    public void Compare_EnabledDiffers_ReportsEnabled()
    {
        Assert.Equal([UserComparison.Enabled], UserComparison.Compare(User(enabled: true), null, User(enabled: false), null, AllButExcluded));
        Assert.Equal([UserComparison.Enabled], UserComparison.Compare(User(enabled: false), null, User(enabled: true), null, AllButExcluded));
    }

    [Theory]
    [InlineData(UserStatuses.Confirmed, UserStatuses.Confirmed, false)]
    [InlineData(UserStatuses.ResetRequired, UserStatuses.Confirmed, false)]
    [InlineData(UserStatuses.Compromised, UserStatuses.Confirmed, false)]
    [InlineData(UserStatuses.ForceChangePassword, UserStatuses.ForceChangePassword, false)]
    [InlineData(UserStatuses.Confirmed, UserStatuses.ForceChangePassword, true)]
    [InlineData(UserStatuses.ResetRequired, UserStatuses.ResetRequired, true)]
    [InlineData(UserStatuses.Compromised, UserStatuses.ForceChangePassword, true)]
    [InlineData(UserStatuses.ForceChangePassword, UserStatuses.Confirmed, true)]
    public void Compare_Status_IsComparedWithTheTargetStatusTheSourceStatusMapsTo(string sourceStatus, string targetStatus, bool differs)
    {
        var differences = UserComparison.Compare(User(sourceStatus), null, User(targetStatus), null, AllButExcluded);

        Assert.Equal(differs ? [UserComparison.Status] : [], differences);
    }

    [Theory]
    [InlineData(UserStatuses.Confirmed, UserStatuses.Confirmed)]
    [InlineData(UserStatuses.ResetRequired, UserStatuses.Confirmed)]
    [InlineData(UserStatuses.Compromised, UserStatuses.Confirmed)]
    [InlineData(UserStatuses.ForceChangePassword, UserStatuses.ForceChangePassword)]
    [InlineData(UserStatuses.Unconfirmed, null)]
    [InlineData(UserStatuses.ExternalProvider, null)]
    [InlineData(UserStatuses.Archived, null)]
    [InlineData(UserStatuses.Unknown, null)]
    public void TargetStatusFor_SourceStatus_MapsToTheTargetStatusOrNotReplicated(string sourceStatus, string? expected)
    {
        Assert.Equal(expected, UserStatuses.TargetStatusFor(sourceStatus));
    }

    [Fact]
    public void Compare_GroupsDiffer_ReportsGroups()
    {
        Assert.Equal([UserComparison.Groups], UserComparison.Compare(User(), ["admins", "beta"], User(), ["admins"], AllButExcluded));
        Assert.Equal([UserComparison.Groups], UserComparison.Compare(User(), [], User(), ["admins"], AllButExcluded));
    }

    [Fact]
    public void Compare_SameGroupsInAnotherOrder_ReportsNothing()
    {
        Assert.Empty(UserComparison.Compare(User(), ["beta", "admins"], User(), ["admins", "beta"], AllButExcluded));
    }

    [Fact]
    public void Compare_GroupsUnknownOnEitherSide_AreNotCompared()
    {
        Assert.Empty(UserComparison.Compare(User(), null, User(), ["admins"], AllButExcluded));
        Assert.Empty(UserComparison.Compare(User(), ["admins"], User(), null, AllButExcluded));
    }

    [Fact]
    public void Compare_EverythingDiffers_ReportsEachFieldOnceAttributesFirst()
    {
        var source = User(UserStatuses.Confirmed, true, ("given_name", "a"));
        var target = User(UserStatuses.ForceChangePassword, false, ("given_name", "b"));

        var differences = UserComparison.Compare(source, ["admins"], target, [], AllButExcluded);

        Assert.Equal(["attribute:given_name", UserComparison.Enabled, UserComparison.Status, UserComparison.Groups], differences);
    }

    private static readonly string[] Vocabulary = ["email", "email_verified", "phone_number_verified", "given_name", "custom:tier", "custom:department", "identities"];

    private static readonly Gen<DirectoryUser> Users = Gen.Select(
        Gen.Int[0, 3].Array[Vocabulary.Length],
        Gen.Bool,
        Gen.OneOf(UserStatuses.Confirmed, UserStatuses.ForceChangePassword, UserStatuses.ResetRequired, UserStatuses.Unconfirmed),
        (choices, enabled, status) => new DirectoryUser(
            "u",
            "s",
            Vocabulary.Select((name, i) => (name, choice: choices[i]))
                .Where(a => a.choice > 0)
                .ToDictionary(a => a.name, a => a.name.EndsWith("_verified", StringComparison.Ordinal) ? (a.choice == 1 ? "true" : "false") : $"value{a.choice}-of-{a.name}", StringComparer.Ordinal),
            enabled,
            status));

    [Fact]
    public void Compare_AnyTwoUsers_ReportsOnlyFieldNamesEachOnceAndNothingForAUserAndItsMirror() =>
        Gen.Select(Users, Users).Sample((source, target) =>
        {
            var differences = UserComparison.Compare(source, null, target, null, AllButExcluded);

            Assert.Equal(differences.Count, differences.Distinct(StringComparer.Ordinal).Count());
            Assert.All(differences, d => Assert.True(
                d is UserComparison.Enabled or UserComparison.Status
                || (d.StartsWith(UserComparison.AttributePrefix, StringComparison.Ordinal) && AllButExcluded(d[UserComparison.AttributePrefix.Length..])),
                $"unexpected difference '{d}'"));
            Assert.DoesNotContain(differences, d => d.Contains("value", StringComparison.Ordinal));

            var mirror = source with { Status = UserStatuses.TargetStatusFor(source.Status) ?? source.Status };
            Assert.Empty(UserComparison.Compare(source, null, mirror, null, AllButExcluded));
        });
}
