using CsCheck;
using IdentityReplicator.Core.Compare;
using IdentityReplicator.Core.Model;
using IdentityReplicator.Core.Pools;

namespace IdentityReplicator.Core.Tests.Compare;

/// <summary>The compact form: equal fingerprints exactly when the field-by-field comparison finds nothing.</summary>
public sealed class UserFingerprintTests
{
    private static readonly Func<string, bool> Replicated = name => !UserProfile.IsPseudoAttribute(name) && name != "custom:department";

    private static readonly Gen<DirectoryUser> Users =
        Gen.Select(
            Gen.Dictionary(Gen.OneOf("email", "email_verified", "phone_number_verified", "given_name", "custom:tier", "custom:department", "sub"), Gen.OneOf("true", "false", "a", "b", ""))[0, 5],
            Gen.Bool,
            Gen.OneOf(UserStatuses.Confirmed, UserStatuses.ForceChangePassword, UserStatuses.ResetRequired, UserStatuses.Compromised, UserStatuses.Unconfirmed))
        .Select((attributes, enabled, status) => new DirectoryUser("u", "s", attributes, enabled, status));

    private static readonly Gen<string[]> Groups = Gen.OneOf("admins", "staff", "beta").Array[0, 3];

    [Fact]
    public void OfSourceAndOfTarget_AnyPair_EqualExactlyWhenCompareFindsNoDifference()
    {
        Gen.Select(Users, Groups, Users, Groups).Sample((source, sourceGroups, target, targetGroups) =>
        {
            var differences = UserComparison.Compare(source, sourceGroups, target, targetGroups, Replicated);
            var fingerprint = UserFingerprint.OfSource(source, sourceGroups, Replicated);

            if (!UserComparison.IsReplicated(source))
            {
                Assert.Null(fingerprint);
                return;
            }

            Assert.Equal(differences.Count == 0, fingerprint == UserFingerprint.OfTarget(target, targetGroups, Replicated));
        });
    }

    [Fact]
    public void OfSourceAndOfTarget_TargetOneEditAwayFromACopy_EqualExactlyWhenCompareFindsNoDifference()
    {
        // Random pairs are almost never equal: edit a faithful copy once, so both answers are exercised.
        Gen.Select(Users, Groups, Gen.Int[0, 8], Gen.OneOf("email", "email_verified", "phone_number_verified", "custom:department", "given_name")).Sample((source, groups, edit, name) =>
        {
            if (!UserComparison.IsReplicated(source))
            {
                return;
            }

            var attributes = new Dictionary<string, string>(source.Attributes, StringComparer.Ordinal);
            var targetGroups = groups.Reverse().ToList();
            var target = source with { Status = UserStatuses.TargetStatusFor(source.Status)!, Attributes = attributes };
            switch (edit)
            {
                case 0: attributes.Remove(name); break;
                case 1: attributes[name] = "false"; break;
                case 2: attributes[name] = "changed"; break;
                case 3: target = target with { Enabled = !source.Enabled }; break;
                case 4: target = target with { Status = UserStatuses.ResetRequired }; break;
                case 5: targetGroups.Add("beta"); break;
                case 6: targetGroups.Clear(); break;
                case 7: attributes["sub"] = "another"; break;
                default: break;
            }

            var differences = UserComparison.Compare(source, groups, target, targetGroups, Replicated);

            Assert.Equal(differences.Count == 0, UserFingerprint.OfSource(source, groups, Replicated) == UserFingerprint.OfTarget(target, targetGroups, Replicated));
        });
    }

    [Fact]
    public void OfSourceAndOfTarget_TargetCopiedFromSource_AreEqual()
    {
        Gen.Select(Users, Groups).Sample((source, groups) =>
        {
            if (!UserComparison.IsReplicated(source))
            {
                return;
            }

            var target = source with { Username = "other", Sub = "other-sub", Status = UserStatuses.TargetStatusFor(source.Status)! };

            Assert.Equal(UserFingerprint.OfSource(source, groups, Replicated), UserFingerprint.OfTarget(target, [.. groups.Reverse()], Replicated));
        });
    }

    [Fact]
    public void OfTarget_OneExcludedAttributeChanged_IsUnchanged()
    {
        var user = new DirectoryUser("u", "s", new Dictionary<string, string> { ["custom:department"] = "a", ["email"] = "x@example.com" }, true, UserStatuses.Confirmed);

        Assert.Equal(
            UserFingerprint.OfTarget(user, [], Replicated),
            UserFingerprint.OfTarget(user with { Attributes = new Dictionary<string, string> { ["custom:department"] = "b", ["email"] = "x@example.com" } }, [], Replicated));
    }
}
