using Amazon.DynamoDBv2;
using Amazon.DynamoDBv2.Model;
using IdentityReplicator.Core.Mirror;
using IdentityReplicator.Core.Model;

namespace IdentityReplicator.Core.Tests.Mirror;

/// <summary>Observations and raw-item reads shared by the mirror table tests.</summary>
internal static class MirrorTestData
{
    public const string PrimaryPool = "us-east-1_Primary1";

    /// <summary>A fixed observation time; tests step forward from it.</summary>
    public static readonly DateTimeOffset T0 = new(2025, 3, 1, 12, 0, 0, TimeSpan.Zero);

    public static UserProfile Profile(string email, bool enabled = true, string status = UserStatuses.Confirmed) =>
        new(new Dictionary<string, string> { ["email"] = email, ["email_verified"] = "true", ["sub"] = "not-replicated" }, enabled, status);

    public static UserObservation User(
        string key,
        DateTimeOffset observedAt,
        UserProfile? profile = null,
        string[]? groups = null,
        CaptureSource source = CaptureSource.Trigger) => new()
        {
            Key = key,
            Username = key,
            Sub = "sub-" + key,
            SourcePoolId = PrimaryPool,
            ObservedAt = observedAt,
            Source = source,
            Profile = profile,
            Groups = groups is null ? null : UserObservation.NormalizeGroups(groups),
        };

    public static GroupObservation Group(string name, DateTimeOffset observedAt, string? description = "desc", int? precedence = 1, bool deleted = false) => new()
    {
        Name = name,
        SourcePoolId = PrimaryPool,
        ObservedAt = observedAt,
        Source = CaptureSource.Sweep,
        Description = description,
        Precedence = precedence,
        RoleArn = "arn:aws:iam::123456789012:role/" + name,
        Deleted = deleted,
    };

    /// <summary>The snapshot item exactly as stored, to check attributes the store does not expose (TTL, removed parts).</summary>
    public static async Task<Dictionary<string, AttributeValue>> RawSnapshotAsync(IAmazonDynamoDB dynamo, MirrorOptions options, EntityId entity)
    {
        var response = await dynamo.GetItemAsync(new GetItemRequest
        {
            TableName = options.TableName,
            Key = new Dictionary<string, AttributeValue>
            {
                [MirrorTable.PartitionKey] = new() { S = MirrorTable.EntityPartition(entity) },
                [MirrorTable.SortKey] = new() { S = MirrorTable.SnapshotSortKey },
            },
            ConsistentRead = true,
        });
        Assert.NotNull(response.Item);
        return response.Item;
    }

    /// <summary>An item as stored, as text (<see cref="TestSupport.ItemText"/>), for the golden tests of the item format.</summary>
    public static async Task<string> RawItemTextAsync(IAmazonDynamoDB dynamo, MirrorOptions options, string pk, string sk)
    {
        var response = await dynamo.GetItemAsync(new GetItemRequest
        {
            TableName = options.TableName,
            Key = new Dictionary<string, AttributeValue> { ["pk"] = new() { S = pk }, ["sk"] = new() { S = sk } },
            ConsistentRead = true,
        });
        Assert.True(response.Item is { Count: > 0 }, $"no item {pk} / {sk}");
        return TestSupport.ItemText.Render(response.Item);
    }

    /// <summary>The holder id the tests' one worker takes apply leases as.</summary>
    public const string TestWorker = "test-host/1/aaaaaaaaaaaa";

    /// <summary>Records applied state as a worker does: takes the entity's apply lease, then records (which releases it).</summary>
    public static async Task<AppliedRecord> RecordAppliedAsync(this IReplicaStateStore store, string region, AppliedState state, string holder = TestWorker)
    {
        var grant = await store.TakeApplyLeaseAsync(region, state.Entity, holder, T0, T0.AddMinutes(1), CancellationToken.None);
        Assert.True(grant.Taken, "the apply lease was not free");
        return await store.PutAppliedAsync(region, state, holder, CancellationToken.None);
    }

    /// <summary>The applied state the golden tests write and read.</summary>
    public static AppliedState AppliedJane() => new()
    {
        Entity = EntityId.ForUser("jane"),
        ProfileVersion = 10,
        GroupsVersion = 20,
        ProfileHash = "p-hash",
        GroupsHash = "g-hash",
        TargetUsername = "jane-standby",
        TargetSub = "standby-sub",
        SourceSub = "source-sub",
        AppliedAt = T0,
    };

    public static async Task<List<FeedEntry>> ReadWholeBucketAsync(IMirrorStore store, int bucket)
    {
        var entries = new List<FeedEntry>();
        var after = string.Empty;
        while (true)
        {
            var page = await store.ReadFeedAsync(bucket, after, 100, CancellationToken.None);
            entries.AddRange(page.Entries);
            if (!page.HasMore || page.Entries.Count == 0)
            {
                return entries;
            }

            after = page.Entries[^1].Position;
        }
    }
}
