using System.Collections.Immutable;
using IdentityReplicator.Core.Model;
using IdentityReplicator.Core.Pools;

namespace IdentityReplicator.Reconciler.Tests;

/// <summary>
/// A user of the primary pool, and the snapshots the mirror would hold of it. In a username pool its username is
/// its name; in a pool that signs in by email Cognito gave it a UUID username, which is also its identity key.
/// </summary>
internal sealed record PrimaryUser(string Name, string Username, string Sub, string Email)
{
    public const string PrimaryPoolId = "us-east-1_primary1";

    public string Key => Username;

    public static PrimaryUser InUsernamePool(string name) => new(name, name, Guid.NewGuid().ToString(), $"{name}@example.com");

    public static PrimaryUser InEmailPool(string name) => new(name, Guid.NewGuid().ToString(), Guid.NewGuid().ToString(), $"{name}@example.com");

    /// <summary>The attributes most tests start from (a fresh, mutable copy).</summary>
    public Dictionary<string, string> Attributes() => new(StringComparer.Ordinal)
    {
        ["email"] = Email,
        ["email_verified"] = "true",
        ["given_name"] = Name,
        ["custom:tier"] = "gold",
    };

    /// <summary>
    /// A snapshot at <paramref name="version"/> (both parts). <paramref name="groups"/> <c>null</c> means memberships
    /// were never observed (groups version 0).
    /// </summary>
    public UserSnapshot Snapshot(
        long version,
        IReadOnlyDictionary<string, string>? attributes = null,
        string status = UserStatuses.Confirmed,
        bool enabled = true,
        IEnumerable<string>? groups = null)
    {
        var profile = new UserProfile(attributes ?? Attributes(), enabled, status);
        ImmutableArray<string>? names = groups is null ? null : UserObservation.NormalizeGroups(groups);
        return new UserSnapshot
        {
            Key = Key,
            Username = Username,
            Sub = Sub,
            SourcePoolId = PrimaryPoolId,
            Profile = profile,
            ProfileVersion = version,
            ProfileHash = profile.Hash,
            Groups = names,
            GroupsVersion = names is null ? 0 : version,
            GroupsHash = names is { } n ? ContentHash.OfNames(n) : null,
        };
    }

    /// <summary>The user was deleted from the primary.</summary>
    public UserSnapshot Tombstone(long version) => new()
    {
        Key = Key,
        Username = Username,
        Sub = Sub,
        SourcePoolId = PrimaryPoolId,
        Deleted = true,
        ProfileVersion = version,
        ProfileHash = "tombstone",
        Groups = [],
        GroupsVersion = version,
        GroupsHash = ContentHash.OfNames([]),
    };

    /// <summary>The primary user as the primary pool would list it (for drift comparison).</summary>
    public DirectoryUser AsDirectoryUser(UserSnapshot snapshot) =>
        new(Username, Sub, snapshot.Profile!.Attributes, snapshot.Profile.Enabled, snapshot.Profile.Status);

    public static IReadOnlyCollection<string>? GroupsOf(UserSnapshot snapshot) =>
        snapshot.Groups is { } groups ? groups : null;
}
