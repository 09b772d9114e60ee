using Amazon.CDK;
using Amazon.CDK.AWS.DynamoDB;
using Amazon.CDK.AWS.KMS;
using Constructs;
using IdentityReplicator.Cdk.Config;
using IdentityReplicator.Cdk.Constructs;
using IdentityReplicator.Core.Configuration;
using IdentityReplicator.Core.Mirror;
using Attribute = Amazon.CDK.AWS.DynamoDB.Attribute;

namespace IdentityReplicator.Cdk.Stacks;

internal sealed class DataStackProps : StackProps
{
    public required DeploymentConfig Config { get; init; }

    public required PoolRole Role { get; init; }

    /// <summary>The standby Region's key, for the mirror table's replica there (primary only).</summary>
    public string? StandbyKeyArn { get; init; }
}

/// <summary>
/// What outlives deployments in one Region: the customer-managed key, the user pool when the app defines it, and (in
/// the primary's) the mirror global table with its replica in the standby Region. Everything here is retained when
/// the stack is deleted.
/// </summary>
internal sealed class DataStack : Stack
{
    public DataStack(Construct scope, string id, DataStackProps props)
        : base(scope, id, props)
    {
        var config = props.Config;
        Role = props.Role;
        Key = new Key(this, "Key", new KeyProps
        {
            Alias = "alias/identity-replicator",
            Description = "IdentityReplicator: encrypts the mirror table's replica in this Region",
            EnableKeyRotation = true,
            RemovalPolicy = RemovalPolicy.RETAIN,
            Policy = KeyPolicies.AccountAdministered(),
        });

        if (config.CreatePools)
        {
            var pool = new ReplicatedUserPool(this, "Pool", new ReplicatedUserPoolProps
            {
                Role = props.Role,
                FunctionArn = ReplicatorFunction.ArnIn(this),
                CaseSensitive = config.UsernamesCaseSensitive,
            });
            UserPoolId = pool.Pool.UserPoolId;
        }
        else
        {
            UserPoolId = (props.Role == PoolRole.Primary ? config.PrimaryUserPoolId : config.StandbyUserPoolId)!;
        }

        if (props.Role == PoolRole.Primary)
        {
            Table = new TableV2(this, "Mirror", new TablePropsV2
            {
                TableName = config.TableName,
                PartitionKey = new Attribute { Name = MirrorTable.PartitionKey, Type = AttributeType.STRING },
                SortKey = new Attribute { Name = MirrorTable.SortKey, Type = AttributeType.STRING },
                Billing = Billing.OnDemand(),
                TimeToLiveAttribute = MirrorTable.ExpiresAt,
                PointInTimeRecovery = true,
                DeletionProtection = true,
                RemovalPolicy = RemovalPolicy.RETAIN,
                Encryption = TableEncryptionV2.CustomerManagedKey(Key, new Dictionary<string, string> { [config.StandbyRegion] = props.StandbyKeyArn! }),
                GlobalSecondaryIndexes =
                [
                    new GlobalSecondaryIndexPropsV2
                    {
                        IndexName = MirrorTable.FeedIndex,
                        PartitionKey = new Attribute { Name = MirrorTable.FeedBucket, Type = AttributeType.STRING },
                        SortKey = new Attribute { Name = MirrorTable.FeedPosition, Type = AttributeType.STRING },
                        ProjectionType = ProjectionType.ALL,
                    },
                ],
                Replicas = [new ReplicaTableProps { Region = config.StandbyRegion, PointInTimeRecovery = true, DeletionProtection = true }],
            });
        }

        _ = new CfnOutput(this, "UserPoolId", new CfnOutputProps { Value = UserPoolId, Description = $"The {props.Role.ToString().ToLowerInvariant()} user pool" });
        _ = new CfnOutput(this, "KeyArn", new CfnOutputProps { Value = Key.KeyArn, Description = "The key of the mirror table's replica in this Region" });
    }

    public PoolRole Role { get; }

    public Key Key { get; }

    public string UserPoolId { get; }

    /// <summary>The mirror global table (primary's data stack only).</summary>
    public TableV2? Table { get; }
}
