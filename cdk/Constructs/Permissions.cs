using Amazon.CDK;
using Amazon.CDK.AWS.IAM;
using IdentityReplicator.Core.Mirror;

namespace IdentityReplicator.Cdk.Constructs;

/// <summary>
/// The actions each component calls, on the resources it calls them on (docs/permissions.md lists the same). Every
/// action is named; no resource is wider than the table, index, pool, key, bus, bucket prefix or parameter path.
/// (The CDK's own custom resources for cross-Region references carry the CDK's policies; docs/permissions.md lists them.)
/// </summary>
internal static class Permissions
{
    /// <summary>The Replicator function reading a pool to capture a user or group (SourceReader).</summary>
    public static readonly string[] CaptureReads =
        ["cognito-idp:AdminGetUser", "cognito-idp:ListUsers", "cognito-idp:AdminListGroupsForUser", "cognito-idp:GetGroup"];

    /// <summary>The worker reading a pool: hint completion, the sweep, full sync and drift reports (PoolInventory).</summary>
    public static readonly string[] PoolReads =
    [
        "cognito-idp:DescribeUserPool", "cognito-idp:AdminGetUser", "cognito-idp:ListUsers", "cognito-idp:AdminListGroupsForUser",
        "cognito-idp:ListGroups", "cognito-idp:GetGroup", "cognito-idp:ListUsersInGroup",
    ];

    /// <summary>The worker's apply engine writing the target pool (CognitoUserDirectory).</summary>
    public static readonly string[] PoolWrites =
    [
        "cognito-idp:AdminCreateUser", "cognito-idp:AdminUpdateUserAttributes", "cognito-idp:AdminDeleteUserAttributes",
        "cognito-idp:AdminDisableUser", "cognito-idp:AdminEnableUser", "cognito-idp:AdminDeleteUser", "cognito-idp:AdminSetUserPassword",
        "cognito-idp:AdminAddUserToGroup", "cognito-idp:AdminRemoveUserFromGroup",
        "cognito-idp:CreateGroup", "cognito-idp:UpdateGroup", "cognito-idp:DeleteGroup",
    ];

    /// <summary>
    /// The worker reading a pool's configuration: the scheduled drift report's configuration section reads both pools whole
    /// (CognitoPoolConfigurationDirectory; the pool's settings, schema and domain come from DescribeUserPool).
    /// </summary>
    public static readonly string[] ConfigurationReads =
    [
        "cognito-idp:ListUserPoolClients", "cognito-idp:DescribeUserPoolClient", "cognito-idp:ListUserPoolClientSecrets",
        "cognito-idp:ListResourceServers", "cognito-idp:ListIdentityProviders", "cognito-idp:DescribeIdentityProvider",
        "cognito-idp:GetUserPoolMfaConfig", "cognito-idp:GetUICustomization",
        "cognito-idp:DescribeManagedLoginBrandingByClient", "cognito-idp:ListTerms", "cognito-idp:DescribeTerms",
        "cognito-idp:GetLogDeliveryConfiguration", "cognito-idp:DescribeRiskConfiguration",
    ];

    /// <summary>
    /// The operator's <c>idrep clients rotate-secret --apply</c>: one new secret added to the client in each pool (it never
    /// deletes one; the operator deletes the old secret when callers have moved). Its reads are <see cref="ConfigurationReads"/>.
    /// </summary>
    public static readonly string[] SecretRotation = ["cognito-idp:AddUserPoolClientSecret"];

    /// <summary>The Replicator function on the mirror table: snapshots, hints, the sub index, mappings, the control item.</summary>
    public static readonly string[] CaptureTable = ["dynamodb:GetItem", "dynamodb:PutItem", "dynamodb:UpdateItem"];

    /// <summary>The worker on the mirror table: the change feed (index), apply state, hints (deleted when done), the catalog scan.</summary>
    public static readonly string[] WorkerTable =
        ["dynamodb:GetItem", "dynamodb:PutItem", "dynamodb:UpdateItem", "dynamodb:DeleteItem", "dynamodb:Query", "dynamodb:Scan"];

    /// <summary>
    /// The token relay on its Region's mirror replica: the control item (<c>GetItem</c>) and the <c>CLIENTS#</c> partitions
    /// (<c>Query</c>), limited to those partitions by <c>dynamodb:LeadingKeys</c> (TokenRelayService).
    /// </summary>
    public static readonly string[] RelayTable = ["dynamodb:GetItem", "dynamodb:Query"];

    /// <summary>The failover operator on the mirror table: the control item (compare-and-set), the journal, checkpoints.</summary>
    public static readonly string[] OperatorTable = ["dynamodb:GetItem", "dynamodb:PutItem", "dynamodb:Query"];

    /// <summary>
    /// DynamoDB uses the table's customer-managed key on the caller's behalf; these are allowed only through DynamoDB
    /// in that Region (kms:ViaService).
    /// </summary>
    public static readonly string[] TableKey = ["kms:Decrypt", "kms:Encrypt", "kms:GenerateDataKey"];

    public static string PoolArn(Stack stack, string region, string poolId) => stack.FormatArn(new ArnComponents
    {
        Service = "cognito-idp",
        Region = region,
        Resource = "userpool",
        ResourceName = poolId,
    });

    public static string TableArn(Stack stack, string region, string tableName) => stack.FormatArn(new ArnComponents
    {
        Service = "dynamodb",
        Region = region,
        Resource = "table",
        ResourceName = tableName,
    });

    public static string FeedIndexArn(Stack stack, string region, string tableName) =>
        TableArn(stack, region, tableName) + "/index/" + MirrorTable.FeedIndex;

    public static PolicyStatement Allow(string sid, IEnumerable<string> actions, IEnumerable<string> resources, Dictionary<string, object>? conditions = null) =>
        new(new PolicyStatementProps
        {
            Sid = sid,
            Effect = Effect.ALLOW,
            Actions = [.. actions],
            Resources = [.. resources],
            Conditions = conditions,
        });

    public static PolicyStatement TableKeyThroughDynamoDb(string sid, string keyArn, string region) => Allow(
        sid,
        TableKey,
        [keyArn],
        new Dictionary<string, object> { ["StringEquals"] = new Dictionary<string, object> { ["kms:ViaService"] = $"dynamodb.{region}.amazonaws.com" } });

    /// <summary>
    /// Refuses the data actions over plain HTTP. Written out instead of the usual <c>EnforceSSL</c> (a deny of every
    /// action, <c>s3:*</c>): no statement in the templates names a wildcard action.
    /// </summary>
    public static PolicyStatement DenyWithoutTls(string sid, IEnumerable<string> actions, IEnumerable<string> resources) => new(new PolicyStatementProps
    {
        Sid = sid,
        Effect = Effect.DENY,
        Principals = [new AnyPrincipal()],
        Actions = [.. actions],
        Resources = [.. resources],
        Conditions = new Dictionary<string, object> { ["Bool"] = new Dictionary<string, object> { ["aws:SecureTransport"] = "false" } },
    });
}
