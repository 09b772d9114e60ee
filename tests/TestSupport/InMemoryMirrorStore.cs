using System.Collections.Immutable;
using System.Globalization;
using IdentityReplicator.Core.Mirror;
using IdentityReplicator.Core.Model;

namespace IdentityReplicator.TestSupport;

/// <summary>
/// The mirror table in memory, for property tests that run hundreds of histories: the same contract as
/// <c>DynamoDbMirrorStore</c> — each part of a user (profile, groups) is recorded only when its observation is newer,
/// a tombstone replaces the profile and empties the groups, the recorded <c>sub</c> is the last one observed, the
/// sub → key index is never forgotten, and a feed entry is written only when content changed. No epochs, one feed bucket.
/// Counts writes (<see cref="Writes"/>) so tests can say "no mirror write".
/// </summary>
public sealed class InMemoryMirrorStore : IMirrorStore
{
    private const string TombstoneHash = "tombstone";

    private readonly Lock _gate = new();
    private readonly Dictionary<string, UserSnapshot> _users = new(StringComparer.Ordinal);
    private readonly Dictionary<string, GroupSnapshot> _groups = new(StringComparer.Ordinal);
    private readonly Dictionary<string, string> _keysBySub = new(StringComparer.Ordinal);
    private long _position;

    public int FeedBuckets => 1;

    /// <summary>Records that changed or moved a version forward (a stale observation writes nothing).</summary>
    public int Writes { get; private set; }

    public IReadOnlyList<UserSnapshot> Users
    {
        get
        {
            lock (_gate)
            {
                return [.. _users.Values];
            }
        }
    }

    public Task<RecordOutcome> RecordUserAsync(UserObservation observation, CancellationToken cancellationToken)
    {
        if (observation.Profile is null && observation.Groups is null && !observation.Deleted)
        {
            throw new ArgumentException("An observation must carry a profile, groups, or a deletion.", nameof(observation));
        }

        var version = observation.ObservedAt.UtcTicks;
        var profileHash = observation.Deleted ? TombstoneHash : observation.Profile?.Hash;
        var groups = observation.Deleted ? ImmutableArray<string>.Empty : observation.Groups;
        var groupsHash = groups is { } g ? ContentHash.OfNames(g) : null;
        lock (_gate)
        {
            var current = _users.GetValueOrDefault(observation.Key);
            var profileNewer = profileHash is not null && version > (current?.ProfileVersion ?? 0);
            var groupsNewer = groupsHash is not null && version > (current?.GroupsVersion ?? 0);
            if (!profileNewer && !groupsNewer)
            {
                return Task.FromResult(RecordOutcome.Stale);
            }

            var profileChanged = profileNewer && profileHash != current?.ProfileHash;
            var groupsChanged = groupsNewer && groupsHash != current?.GroupsHash;
            var changed = profileChanged || groupsChanged;
            var next = (current ?? new UserSnapshot { Key = observation.Key, Username = observation.Username, SourcePoolId = observation.SourcePoolId }) with
            {
                Username = observation.Username,
                SourcePoolId = observation.SourcePoolId,
                Sub = observation.Sub ?? current?.Sub,
                ProfileVersion = profileNewer ? version : current?.ProfileVersion ?? 0,
                GroupsVersion = groupsNewer ? version : current?.GroupsVersion ?? 0,
            };
            if (profileChanged)
            {
                next = next with
                {
                    ProfileHash = profileHash,
                    Deleted = observation.Deleted,
                    Profile = observation.Deleted ? null : observation.Profile,
                };
            }

            if (groupsChanged)
            {
                next = next with { Groups = groups, GroupsHash = groupsHash };
            }

            if (changed)
            {
                next = next with
                {
                    FeedPosition = (++_position).ToString("D12", CultureInfo.InvariantCulture),
                    ChangedAt = observation.ObservedAt,
                    ChangeSource = observation.Source,
                };
            }

            _users[observation.Key] = next;
            if (observation.Sub is { } sub)
            {
                _keysBySub[sub] = observation.Key;
            }

            Writes++;
            return Task.FromResult(changed ? RecordOutcome.Changed : RecordOutcome.Unchanged);
        }
    }

    public Task<RecordOutcome> RecordGroupAsync(GroupObservation observation, CancellationToken cancellationToken)
    {
        var version = observation.ObservedAt.UtcTicks;
        lock (_gate)
        {
            var current = _groups.GetValueOrDefault(observation.Name);
            if (version <= (current?.Version ?? 0))
            {
                return Task.FromResult(RecordOutcome.Stale);
            }

            var changed = observation.Hash != current?.Hash;
            var next = (current ?? new GroupSnapshot { Name = observation.Name, SourcePoolId = observation.SourcePoolId }) with
            {
                SourcePoolId = observation.SourcePoolId,
                Version = version,
            };
            if (changed)
            {
                next = next with
                {
                    Hash = observation.Hash,
                    Deleted = observation.Deleted,
                    Description = observation.Description,
                    Precedence = observation.Precedence,
                    RoleArn = observation.RoleArn,
                    FeedPosition = (++_position).ToString("D12", CultureInfo.InvariantCulture),
                    ChangedAt = observation.ObservedAt,
                };
            }

            _groups[observation.Name] = next;
            Writes++;
            return Task.FromResult(changed ? RecordOutcome.Changed : RecordOutcome.Unchanged);
        }
    }

    public Task<UserSnapshot?> GetUserAsync(string key, CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            return Task.FromResult(_users.GetValueOrDefault(key));
        }
    }

    public Task<GroupSnapshot?> GetGroupAsync(string name, CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            return Task.FromResult(_groups.GetValueOrDefault(name));
        }
    }

    public Task<FeedPage> ReadFeedAsync(int bucket, string after, int limit, CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            var entries = _users.Values.Where(u => u.FeedPosition is not null).Select(u => new FeedEntry(u.FeedPosition!, u, null))
                .Concat(_groups.Values.Where(g => g.FeedPosition is not null).Select(g => new FeedEntry(g.FeedPosition!, null, g)))
                .Where(e => string.CompareOrdinal(e.Position, after) > 0)
                .OrderBy(e => e.Position, StringComparer.Ordinal)
                .ToList();
            return Task.FromResult(new FeedPage([.. entries.Take(limit)], entries.Count > limit));
        }
    }

    public Task<string?> FindKeyBySubAsync(string sub, CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            return Task.FromResult(_keysBySub.GetValueOrDefault(sub));
        }
    }
}
