using System.Net;
using Amazon.Runtime;
using IdentityReplicator.Core.Aws;
using IdentityReplicator.Core.SecretsManager;
using IdentityReplicator.Core.Tests.Aws;

namespace IdentityReplicator.Core.Tests.SecretsManager;

/// <summary>What the thin Secrets Manager client puts on the wire and how it reads replies and errors.</summary>
public sealed class SecretsManagerClientTests
{
    private const string Secret = "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY";
    private const string Arn = "arn:aws:secretsmanager:eu-west-1:111122223333:secret:cognito-client-AbCdEf";

    [Fact]
    public async Task GetSecretValueAsync_SignedClient_PostsJson11WithTargetAndSecretsManagerScope()
    {
        // Arrange
        var capture = new CapturingHandler(() => CapturingHandler.Json($$"""{"ARN":"{{Arn}}","Name":"n","VersionId":"v1","SecretString":"s3cr3t","CreatedDate":1760000000}"""));
        var client = SecretsManagerClient.Create(new AwsEndpoint("eu-west-1"), new BasicAWSCredentials("AKIDEXAMPLE", Secret), capture);

        // Act
        var response = await client.GetSecretValueAsync(new GetSecretValueRequest(Arn));

        // Assert
        var sent = Assert.Single(capture.Requests);
        Assert.Equal(new Uri("https://secretsmanager.eu-west-1.amazonaws.com/"), sent.Uri);
        Assert.Equal("secretsmanager.GetSecretValue", sent.Header("X-Amz-Target"));
        Assert.StartsWith("application/x-amz-json-1.1", sent.Header("Content-Type"), StringComparison.Ordinal);
        var parsed = SigV4Reference.Parse(sent.Header("Authorization"));
        Assert.Equal(("AKIDEXAMPLE", "eu-west-1", "secretsmanager"), (parsed.AccessKeyId, parsed.Region, parsed.Service));
        Assert.Equal(SigV4Reference.Recompute(sent, Secret), sent.Header("Authorization"));
        Assert.Equal(Arn, sent.Json().GetProperty("SecretId").GetString());
        Assert.False(sent.Json().TryGetProperty("VersionId", out _));
        Assert.Equal(("s3cr3t", "v1", Arn), (response.SecretString, response.VersionId, response.Arn));
        Assert.Equal(DateTimeOffset.FromUnixTimeSeconds(1760000000), response.CreatedDate);
    }

    [Fact]
    public void ToString_Response_LeavesTheValueOut()
    {
        // Arrange
        var response = new GetSecretValueResponse { Arn = Arn, SecretString = "s3cr3t-value" };

        // Act
        var text = response.ToString();

        // Assert
        Assert.DoesNotContain("s3cr3t-value", text, StringComparison.Ordinal);
        Assert.Contains(Arn, text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task GetSecretValueAsync_NotFound_ThrowsTypedNotFoundError()
    {
        // Arrange
        var capture = new CapturingHandler(() => CapturingHandler.Json(
            """{"__type":"ResourceNotFoundException","Message":"Secrets Manager can't find the specified secret."}""", HttpStatusCode.BadRequest));
        var client = new SecretsManagerClient(new HttpClient(capture), new AwsEndpoint("eu-west-1"));

        // Act
        var error = await Assert.ThrowsAsync<SecretsManagerException>(() => client.GetSecretValueAsync(new GetSecretValueRequest(Arn)));

        // Assert
        Assert.True(error.IsNotFound);
        Assert.False(error.IsRetryable);
        Assert.Equal("GetSecretValue", error.Operation);
    }

    [Fact]
    public async Task GetSecretValueAsync_AccessDenied_IsAPermissionProblem()
    {
        // Arrange
        var capture = new CapturingHandler(() => CapturingHandler.Json("""{"__type":"AccessDeniedException","Message":"no"}""", HttpStatusCode.BadRequest));
        var client = new SecretsManagerClient(new HttpClient(capture), new AwsEndpoint("eu-west-1"));

        // Act
        var error = await Assert.ThrowsAsync<SecretsManagerException>(() => client.GetSecretValueAsync(new GetSecretValueRequest(Arn)));

        // Assert
        Assert.True(error.IsPermissionProblem);
    }

    [Theory]
    [InlineData("plain-secret-value", "plain-secret-value")]
    [InlineData("""{"client_id":"abc","client_secret":"from-json"}""", "from-json")]
    [InlineData("""{"ClientSecret":"pascal"}""", "pascal")]
    [InlineData("""{"userPoolId":"local_1","userPoolClientId":"abc","clientSecretValue":"as-the-sandbox-publishes"}""", "as-the-sandbox-publishes")]
    [InlineData("""{"other":"x"}""", null)]
    [InlineData("", null)]
    public void ClientSecretOf_SecretString_IsTheClientSecret(string secretString, string? expected) =>
        Assert.Equal(expected, SecretsManagerClient.ClientSecretOf(new GetSecretValueResponse { SecretString = secretString }));
}
