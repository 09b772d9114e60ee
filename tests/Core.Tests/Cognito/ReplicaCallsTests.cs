using System.Collections.Concurrent;
using System.Net;
using System.Text;
using IdentityReplicator.Core.Aws;
using IdentityReplicator.Core.Cognito;
using IdentityReplicator.Core.Quotas;
using IdentityReplicator.Core.Tests.Aws;

namespace IdentityReplicator.Core.Tests.Cognito;

/// <summary>
/// The four operations of Cognito's native multi-Region replication, byte for byte as the AWS SDK for JavaScript v3
/// (3.1178.0) model shapes them: CreateUserPoolReplica, UpdateUserPoolReplica, DeleteUserPoolReplica and
/// ListUserPoolReplicas, their UserPoolReplicaType replies, and the errors Cognito answers for pools that cannot have a
/// replica.
/// </summary>
public sealed class ReplicaCallsTests
{
    private const string Pool = "eu-west-1_Pool1";
    private const string ReplicaJson = """{"UserPoolReplica":{"RegionName":"eu-central-1","Status":"CREATING","Role":"SECONDARY","UserPoolArn":"arn:aws:cognito-idp:eu-central-1:111122223333:userpool/eu-west-1_Pool1"}}""";

    [Fact]
    public async Task CreateUserPoolReplicaAsync_WithTags_SendsTheModelsRequestAndReadsTheReplica()
    {
        // Arrange
        var capture = new CapturingHandler(() => CapturingHandler.Json(ReplicaJson));
        var client = new CognitoIdentityProviderClient(new HttpClient(capture), new AwsEndpoint("eu-west-1"));

        // Act
        var replica = await client.CreateUserPoolReplicaAsync(
            new CreateUserPoolReplicaRequest(Pool, "eu-central-1") { UserPoolTags = new Dictionary<string, string> { ["team"] = "identity" } });

        // Assert
        var sent = Assert.Single(capture.Requests);
        Assert.Equal("AWSCognitoIdentityProviderService.CreateUserPoolReplica", sent.Header("X-Amz-Target"));
        Assert.Equal("""{"UserPoolId":"eu-west-1_Pool1","RegionName":"eu-central-1","UserPoolTags":{"team":"identity"}}""", Body(sent));
        Assert.Equal(new UserPoolReplicaType("eu-central-1", ReplicaStatus.Creating, ReplicaRole.Secondary, "arn:aws:cognito-idp:eu-central-1:111122223333:userpool/eu-west-1_Pool1"), replica);
    }

    [Fact]
    public async Task CreateUserPoolReplicaAsync_NoTags_LeavesTheMemberOut()
    {
        // Arrange
        var capture = new CapturingHandler(() => CapturingHandler.Json(ReplicaJson));
        var client = new CognitoIdentityProviderClient(new HttpClient(capture), new AwsEndpoint("eu-west-1"));

        // Act
        await client.CreateUserPoolReplicaAsync(new CreateUserPoolReplicaRequest(Pool, "eu-central-1"));

        // Assert
        Assert.Equal("""{"UserPoolId":"eu-west-1_Pool1","RegionName":"eu-central-1"}""", Body(Assert.Single(capture.Requests)));
    }

    [Fact]
    public async Task UpdateUserPoolReplicaAsync_Activate_SendsStatusAndReadsTheReplica()
    {
        // Arrange
        var capture = new CapturingHandler(() => CapturingHandler.Json(ReplicaJson.Replace("CREATING", "ACTIVE", StringComparison.Ordinal)));
        var client = new CognitoIdentityProviderClient(new HttpClient(capture), new AwsEndpoint("eu-west-1"));

        // Act
        var replica = await client.UpdateUserPoolReplicaAsync(new UpdateUserPoolReplicaRequest(Pool, "eu-central-1", ReplicaStatus.Active));

        // Assert
        var sent = Assert.Single(capture.Requests);
        Assert.Equal("AWSCognitoIdentityProviderService.UpdateUserPoolReplica", sent.Header("X-Amz-Target"));
        Assert.Equal("""{"UserPoolId":"eu-west-1_Pool1","RegionName":"eu-central-1","Status":"ACTIVE"}""", Body(sent));
        Assert.Equal(ReplicaStatus.Active, replica.Status);
    }

    [Fact]
    public async Task DeleteUserPoolReplicaAsync_Reply_IsTheDeletingReplica()
    {
        // Arrange
        var capture = new CapturingHandler(() => CapturingHandler.Json(ReplicaJson.Replace("CREATING", "DELETING", StringComparison.Ordinal)));
        var client = new CognitoIdentityProviderClient(new HttpClient(capture), new AwsEndpoint("eu-west-1"));

        // Act
        var replica = await client.DeleteUserPoolReplicaAsync(new DeleteUserPoolReplicaRequest(Pool, "eu-central-1"));

        // Assert
        var sent = Assert.Single(capture.Requests);
        Assert.Equal("AWSCognitoIdentityProviderService.DeleteUserPoolReplica", sent.Header("X-Amz-Target"));
        Assert.Equal("""{"UserPoolId":"eu-west-1_Pool1","RegionName":"eu-central-1"}""", Body(sent));
        Assert.Equal((ReplicaStatus.Deleting, ReplicaRole.Secondary), (replica.Status, replica.Role));
    }

    [Fact]
    public async Task ListUserPoolReplicasAsync_TwoPages_FollowsTheTokenAndGivesEveryReplica()
    {
        // Arrange
        var capture = new CapturingHandler((_, i) => i == 0
            ? CapturingHandler.Json("""{"UserPoolReplicas":[{"RegionName":"eu-west-1","Status":"ACTIVE","Role":"PRIMARY","UserPoolArn":"arn:p"}],"NextToken":"t1"}""")
            : CapturingHandler.Json("""{"UserPoolReplicas":[{"RegionName":"eu-central-1","Status":"INACTIVE","Role":"SECONDARY","UserPoolArn":"arn:s"}]}"""));
        var client = new CognitoIdentityProviderClient(new HttpClient(capture), new AwsEndpoint("eu-west-1"));

        // Act
        var replicas = await client.ListUserPoolReplicasAsync(Pool);

        // Assert
        Assert.Equal(
            [new UserPoolReplicaType("eu-west-1", "ACTIVE", "PRIMARY", "arn:p"), new UserPoolReplicaType("eu-central-1", "INACTIVE", "SECONDARY", "arn:s")],
            replicas);
        Assert.Equal("""{"UserPoolId":"eu-west-1_Pool1"}""", Body(capture.Requests[0]));
        Assert.Equal("""{"UserPoolId":"eu-west-1_Pool1","NextToken":"t1"}""", Body(capture.Requests[1]));
        Assert.All(capture.Requests, r => Assert.Equal("AWSCognitoIdentityProviderService.ListUserPoolReplicas", r.Header("X-Amz-Target")));
    }

    [Fact]
    public async Task ListUserPoolReplicasAsync_PoolWithoutReplicas_IsEmpty()
    {
        // Arrange
        var capture = new CapturingHandler(() => CapturingHandler.Json("""{"UserPoolReplicas":[]}"""));
        var client = new CognitoIdentityProviderClient(new HttpClient(capture), new AwsEndpoint("eu-west-1"));

        // Act
        var replicas = await client.ListUserPoolReplicasAsync(Pool);

        // Assert
        Assert.Empty(replicas);
    }

    [Theory]
    [InlineData("OperationNotEnabledException", typeof(OperationNotEnabledException))]
    [InlineData("FeatureUnavailableInTierException", typeof(FeatureUnavailableInTierException))]
    public async Task CreateUserPoolReplicaAsync_PoolThatCannotHaveAReplica_ThrowsTheTypedRefusal(string code, Type expected)
    {
        // Arrange
        var capture = new CapturingHandler(() => CapturingHandler.Json(
            $$"""{"__type":"com.amazonaws.cognito.identity.idp.model#{{code}}","message":"refused"}""", HttpStatusCode.BadRequest));
        var client = new CognitoIdentityProviderClient(new HttpClient(capture), new AwsEndpoint("eu-west-1"));

        // Act
        var thrown = await Assert.ThrowsAnyAsync<CognitoException>(() => client.CreateUserPoolReplicaAsync(new CreateUserPoolReplicaRequest(Pool, "eu-central-1")));

        // Assert
        Assert.IsType(expected, thrown, exactMatch: true);
        Assert.IsAssignableFrom<PoolFeatureRefusedException>(thrown);
        Assert.False(thrown.IsRetryable);
        Assert.Equal("CreateUserPoolReplica", thrown.Operation);
    }

    public static TheoryData<string, QuotaCategory> Categories() => new()
    {
        { "ListUserPoolReplicas", QuotaCategory.UserPoolRead },
        { "CreateUserPoolReplica", QuotaCategory.UserPoolUpdate },
        { "UpdateUserPoolReplica", QuotaCategory.UserPoolUpdate },
        { "DeleteUserPoolReplica", QuotaCategory.UserPoolUpdate },
    };

    [Theory]
    [MemberData(nameof(Categories))]
    public void CategoryOf_ReplicaOperation_IsThePoolCategory(string operation, QuotaCategory expected) =>
        Assert.Equal(expected, CognitoQuotas.CategoryOf(operation));

    [Fact]
    public async Task ReplicaCalls_EachOne_GoesThroughThePolicyUnderItsOwnOperationName()
    {
        // Arrange
        var capture = new CapturingHandler(() => CapturingHandler.Json(ReplicaJson));
        var policy = new RecordingPolicy();
        var client = new CognitoIdentityProviderClient(new HttpClient(capture), new AwsEndpoint("eu-west-1"), policy);

        // Act
        await client.CreateUserPoolReplicaAsync(new CreateUserPoolReplicaRequest(Pool, "eu-central-1"));
        await client.UpdateUserPoolReplicaAsync(new UpdateUserPoolReplicaRequest(Pool, "eu-central-1", ReplicaStatus.Inactive));
        await client.DeleteUserPoolReplicaAsync(new DeleteUserPoolReplicaRequest(Pool, "eu-central-1"));
        await client.ListUserPoolReplicasAsync(Pool);

        // Assert
        Assert.Equal(["CreateUserPoolReplica", "UpdateUserPoolReplica", "DeleteUserPoolReplica", "ListUserPoolReplicas"], policy.Operations);
    }

    private static string Body(CapturedRequest request) => Encoding.UTF8.GetString(request.Body);

    private sealed class RecordingPolicy : ICognitoCallPolicy
    {
        private readonly ConcurrentQueue<string> _operations = new();

        public IReadOnlyList<string> Operations => [.. _operations];

        public Task<T> ExecuteAsync<T>(string operation, Func<CancellationToken, Task<T>> call, CancellationToken cancellationToken)
        {
            _operations.Enqueue(operation);
            return call(cancellationToken);
        }
    }
}
