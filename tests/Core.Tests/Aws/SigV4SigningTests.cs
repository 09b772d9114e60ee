using System.Text;
using Amazon;
using Amazon.Runtime;
using Amazon.Runtime.Signing;
using IdentityReplicator.Core.Aws;

namespace IdentityReplicator.Core.Tests.Aws;

/// <summary>
/// SigV4 as the tool uses it (AWSSDK.Core's signer under <see cref="SignedHttpClient"/>), checked against the
/// published AWS SigV4 test suite through an independent implementation (<see cref="SigV4Reference"/>).
/// </summary>
public sealed class SigV4SigningTests
{
    // The AWS SigV4 test suite's credentials, time, Region and service.
    private const string SuiteAccessKeyId = "AKIDEXAMPLE";
    private const string SuiteSecretAccessKey = "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY";
    private const string SuiteRegion = "us-east-1";
    private const string SuiteService = "service";
    private static readonly DateTimeOffset SuiteTime = new(2015, 8, 30, 12, 36, 0, TimeSpan.Zero);
    private static readonly Uri SuiteHost = new("https://example.amazonaws.com/");

    [Theory]
    // get-vanilla.authz, post-vanilla.authz and get-vanilla-query-order-key-case.authz of the published suite.
    [InlineData("GET", "https://example.amazonaws.com/", "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20150830/us-east-1/service/aws4_request, SignedHeaders=host;x-amz-date, Signature=5fa00fa31553b73ebf1942676e86291e8372ff2a2260956d9b8aae1d763fbf31")]
    [InlineData("POST", "https://example.amazonaws.com/", "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20150830/us-east-1/service/aws4_request, SignedHeaders=host;x-amz-date, Signature=5da7c1a2acd57cee7505fc6676e4e544621c30862966e37dddb68e92efbe5d6b")]
    [InlineData("GET", "https://example.amazonaws.com/?Param2=value2&Param1=value1", "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20150830/us-east-1/service/aws4_request, SignedHeaders=host;x-amz-date, Signature=b97d918cfa904a5beff61c982a1b6f458b799221646efd99d3219ec94cdf2500")]
    public void Reference_PublishedSuiteVector_ReproducesPublishedAuthorization(string method, string url, string expected)
    {
        // Arrange
        var uri = new Uri(url);
        var headers = new Dictionary<string, string> { ["Host"] = uri.Host, ["X-Amz-Date"] = "20150830T123600Z" };

        // Act
        var authorization = SigV4Reference.Authorization(method, uri, headers, [], SuiteAccessKeyId, SuiteSecretAccessKey, SuiteRegion, SuiteService, SuiteTime);

        // Assert
        Assert.Equal(expected, authorization);
    }

    [Fact]
    public void Reference_DifferentSecret_ProducesDifferentSignature()
    {
        // Arrange: guards the oracle itself against comparing a constant with a constant.
        var headers = new Dictionary<string, string> { ["host"] = "example.amazonaws.com", ["x-amz-date"] = "20150830T123600Z" };

        // Act
        var right = SigV4Reference.Authorization("GET", SuiteHost, headers, [], SuiteAccessKeyId, SuiteSecretAccessKey, SuiteRegion, SuiteService, SuiteTime);
        var wrong = SigV4Reference.Authorization("GET", SuiteHost, headers, [], SuiteAccessKeyId, SuiteSecretAccessKey + "x", SuiteRegion, SuiteService, SuiteTime);

        // Assert
        Assert.NotEqual(SigV4Reference.Parse(right).Signature, SigV4Reference.Parse(wrong).Signature);
    }

    [Theory]
    [InlineData("GET", "https://example.amazonaws.com/")]
    [InlineData("POST", "https://example.amazonaws.com/")]
    [InlineData("GET", "https://example.amazonaws.com/?Param2=value2&Param1=value1")]
    public void SdkSigner_SuiteRequestAtFixedTime_SignsAsTheSpecificationSays(string method, string url)
    {
        // Arrange
        var uri = new Uri(url);
        var request = new AWSSigningRequest { HttpMethod = new HttpMethod(method), RequestUri = uri };

        // Act
        var result = AWSSigV4Signer.Sign(request, SuiteParameters());

        // Assert: the SDK also signs x-amz-content-sha256, so the suite's own value is reproduced by the
        // reference over exactly the SDK's header set.
        var headers = new Dictionary<string, string>(result.Headers, StringComparer.OrdinalIgnoreCase);
        Assert.Equal("20150830T123600Z", headers["X-Amz-Date"]);
        Assert.Equal(SigV4Reference.EmptyPayloadSha256, headers["X-Amz-Content-SHA256"]);
        var expected = SigV4Reference.Authorization(
            method,
            uri,
            new Dictionary<string, string>
            {
                ["host"] = "example.amazonaws.com",
                ["x-amz-content-sha256"] = SigV4Reference.EmptyPayloadSha256,
                ["x-amz-date"] = "20150830T123600Z",
            },
            [],
            SuiteAccessKeyId,
            SuiteSecretAccessKey,
            SuiteRegion,
            SuiteService,
            SuiteTime);
        Assert.Equal(expected, headers["Authorization"]);
    }

    [Fact]
    public async Task SigV4SigningHandler_JsonPostAtFixedTime_AuthorizationMatchesIndependentSignature()
    {
        // Arrange
        var capture = new CapturingHandler(() => CapturingHandler.Empty());
        using var client = new HttpClient(new SigV4SigningHandler(SuiteParameters(), capture));
        using var content = new ByteArrayContent(Encoding.UTF8.GetBytes("""{"UserPoolId":"us-east-1_Example","Username":"jane"}"""));
        content.Headers.ContentType = new("application/x-amz-json-1.1");

        // Act
        using var response = await client.PostAsync(SuiteHost, content);

        // Assert
        var sent = Assert.Single(capture.Requests);
        Assert.Equal("20150830T123600Z", sent.Header("X-Amz-Date"));
        var parsed = SigV4Reference.Parse(sent.Header("Authorization"));
        Assert.Equal(("AKIDEXAMPLE", "20150830", "us-east-1", "service"), (parsed.AccessKeyId, parsed.Date, parsed.Region, parsed.Service));
        Assert.Contains("content-type", parsed.SignedHeaders);
        Assert.Contains("host", parsed.SignedHeaders);
        Assert.Equal(SigV4Reference.Recompute(sent, SuiteSecretAccessKey), sent.Header("Authorization"));
    }

    [Fact]
    public async Task SignedHttpClient_Create_SignsEachRequestSoTheSignatureVerifies()
    {
        // Arrange
        var capture = new CapturingHandler(() => CapturingHandler.Empty());
        using var client = SignedHttpClient.Create(new BasicAWSCredentials("AKIDEXAMPLE", "secret-one"), "eu-west-1", "cognito-idp", capture);
        using var content = new StringContent("{}", Encoding.UTF8, "application/x-amz-json-1.1");

        // Act
        using var response = await client.PostAsync(new Uri("https://cognito-idp.eu-west-1.amazonaws.com/"), content);

        // Assert
        var sent = Assert.Single(capture.Requests);
        var parsed = SigV4Reference.Parse(sent.Header("Authorization"));
        Assert.Equal(("eu-west-1", "cognito-idp"), (parsed.Region, parsed.Service));
        Assert.Equal(SigV4Reference.Recompute(sent, "secret-one"), sent.Header("Authorization"));
        Assert.NotEqual(SigV4Reference.Recompute(sent, "secret-two"), sent.Header("Authorization"));
    }

    [Fact]
    public async Task SignedHttpClient_SessionCredentials_SendsAndSignsTheSecurityToken()
    {
        // Arrange
        var capture = new CapturingHandler(() => CapturingHandler.Empty());
        using var client = SignedHttpClient.Create(new SessionAWSCredentials("ASIAEXAMPLE", "secret", "token-123"), "us-west-2", "cognito-idp", capture);

        // Act
        using var response = await client.GetAsync(new Uri("https://cognito-idp.us-west-2.amazonaws.com/"));

        // Assert
        var sent = Assert.Single(capture.Requests);
        Assert.Equal("token-123", sent.Header("X-Amz-Security-Token"));
        Assert.Contains("x-amz-security-token", SigV4Reference.Parse(sent.Header("Authorization")).SignedHeaders);
        Assert.Equal(SigV4Reference.Recompute(sent, "secret"), sent.Header("Authorization"));
    }

    private static AWSSigV4Parameters SuiteParameters() => new()
    {
        Credentials = new BasicAWSCredentials(SuiteAccessKeyId, SuiteSecretAccessKey),
        Region = RegionEndpoint.GetBySystemName(SuiteRegion),
        Service = SuiteService,
        SignedAt = SuiteTime.UtcDateTime,
    };
}
