using System.Net;
using System.Net.Http.Headers;
using System.Text;
using IdentityReplicator.Core.Aws;

namespace IdentityReplicator.Core.Tests.Aws;

public sealed class AwsErrorReaderTests : IDisposable
{
    private readonly HttpResponseMessage _response = new();

    private HttpResponseHeaders Headers => _response.Headers;

    public void Dispose() => _response.Dispose();

    [Fact]
    public void ReadJson_TypeWithNamespacePrefix_ReturnsBareCodeAndMessage()
    {
        // Arrange
        var body = """{"__type":"com.amazonaws.cognito.identity.idp.model#UserNotFoundException","message":"User does not exist."}""";

        // Act
        var error = AwsErrorReader.ReadJson(HttpStatusCode.BadRequest, Headers, Utf8(body));

        // Assert
        Assert.Equal("UserNotFoundException", error.Code);
        Assert.Equal("User does not exist.", error.Message);
        Assert.Equal(HttpStatusCode.BadRequest, error.StatusCode);
    }

    [Fact]
    public void ReadJson_ErrorTypeHeaderWithUrlSuffix_ReturnsBareCode()
    {
        // Arrange
        Headers.TryAddWithoutValidation("x-amzn-ErrorType", "TooManyRequestsException:http://internal.amazon.com/coral/com.amazonaws.cognito.identity.idp.model/");

        // Act
        var error = AwsErrorReader.ReadJson((HttpStatusCode)429, Headers, Utf8("""{"message":"Rate exceeded"}"""));

        // Assert
        Assert.Equal("TooManyRequestsException", error.Code);
        Assert.Equal("Rate exceeded", error.Message);
    }

    [Fact]
    public void ReadJson_HeaderAndBodyBothNameACode_HeaderWins()
    {
        // Arrange
        Headers.TryAddWithoutValidation("x-amzn-ErrorType", "InvalidParameterException");
        var body = """{"__type":"com.amazonaws#SomethingElse","message":"m"}""";

        // Act
        var error = AwsErrorReader.ReadJson(HttpStatusCode.BadRequest, Headers, Utf8(body));

        // Assert
        Assert.Equal("InvalidParameterException", error.Code);
    }

    [Fact]
    public void ReadJson_CapitalisedMessage_IsReadLikeLowerCase()
    {
        // Act
        var error = AwsErrorReader.ReadJson(HttpStatusCode.BadRequest, Headers, Utf8("""{"__type":"InvalidParameterException","Message":"Attribute does not exist in the schema."}"""));

        // Assert
        Assert.Equal("InvalidParameterException", error.Code);
        Assert.Equal("Attribute does not exist in the schema.", error.Message);
    }

    [Fact]
    public void ReadJson_LowerCaseCodeProperty_IsUsedAsTheCode()
    {
        // Act
        var error = AwsErrorReader.ReadJson(HttpStatusCode.BadRequest, Headers, Utf8("""{"code":"ResourceNotFoundException","message":"no pool"}"""));

        // Assert
        Assert.Equal("ResourceNotFoundException", error.Code);
    }

    [Fact]
    public void ReadJson_RequestIdHeader_IsCarried()
    {
        // Arrange
        Headers.TryAddWithoutValidation("x-amzn-RequestId", "4c9d1e0e-1111-2222-3333-444455556666");

        // Act
        var error = AwsErrorReader.ReadJson(HttpStatusCode.BadRequest, Headers, Utf8("""{"__type":"NotAuthorizedException"}"""));

        // Assert
        Assert.Equal("4c9d1e0e-1111-2222-3333-444455556666", error.RequestId);
    }

    [Theory]
    [InlineData(502, "<html><body>502 Bad Gateway</body></html>", "ServiceUnavailable")]
    [InlineData(503, "", "ServiceUnavailable")]
    [InlineData(500, "{\"unexpected\":true}", "ServiceUnavailable")]
    [InlineData(429, "", "TooManyRequestsException")]
    [InlineData(429, "Too Many Requests", "TooManyRequestsException")]
    [InlineData(400, "", "UnknownError")]
    [InlineData(403, "[1,2,3]", "UnknownError")]
    [InlineData(400, "{\"__type\":\"   \"}", "UnknownError")]
    [InlineData(400, "{\"__type\":\"com.amazonaws#\"}", "UnknownError")]
    public void ReadJson_NoUsableCode_FallsBackOnTheStatus(int status, string body, string expectedCode)
    {
        // Act
        var error = AwsErrorReader.ReadJson((HttpStatusCode)status, Headers, Utf8(body));

        // Assert
        Assert.Equal(expectedCode, error.Code);
        Assert.Contains(status.ToString(System.Globalization.CultureInfo.InvariantCulture), error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("UserNotFoundException", "UserNotFoundException")]
    [InlineData("com.amazonaws.cognito.identity.idp.model#UserNotFoundException", "UserNotFoundException")]
    [InlineData("UserNotFoundException:http://internal.amazon.com/coral/com.amazon.coral.validate/", "UserNotFoundException")]
    [InlineData("aws.protocoltests.restjson#FooError:http://internal.amazon.com/coral/com.amazon.coral.validate/", "FooError")]
    [InlineData("  ThrottlingException  ", "ThrottlingException")]
    [InlineData("", null)]
    [InlineData(null, null)]
    public void NormalizeCode_AnySpelling_ReturnsTheBareShapeName(string? raw, string? expected)
    {
        // Act / Assert
        Assert.Equal(expected, AwsErrorReader.NormalizeCode(raw));
    }

    [Fact]
    public void ReadXml_QueryProtocolErrorResponse_ReadsCodeMessageAndRequestId()
    {
        // Arrange
        var body = """
            <ErrorResponse xmlns="https://sts.amazonaws.com/doc/2011-06-15/">
              <Error><Type>Sender</Type><Code>Throttling</Code><Message>Rate exceeded</Message></Error>
              <RequestId>a1b2c3</RequestId>
            </ErrorResponse>
            """;

        // Act
        var error = AwsErrorReader.ReadXml(HttpStatusCode.BadRequest, Headers, body);

        // Assert
        Assert.Equal(new AwsErrorInfo("Throttling", "Rate exceeded", HttpStatusCode.BadRequest, "a1b2c3"), error);
    }

    [Fact]
    public void ReadXml_RestXmlError_ReadsCodeAndPrefersTheRequestIdHeader()
    {
        // Arrange
        Headers.TryAddWithoutValidation("x-amz-request-id", "from-header");
        var body = "<Error><Code>NoSuchKey</Code><Message>The specified key does not exist.</Message><RequestId>from-body</RequestId></Error>";

        // Act
        var error = AwsErrorReader.ReadXml(HttpStatusCode.NotFound, Headers, body);

        // Assert
        Assert.Equal("NoSuchKey", error.Code);
        Assert.Equal("The specified key does not exist.", error.Message);
        Assert.Equal("from-header", error.RequestId);
    }

    [Theory]
    [InlineData(503, "not xml at all", "ServiceUnavailable")]
    [InlineData(429, "", "TooManyRequestsException")]
    [InlineData(400, "<Other/>", "UnknownError")]
    public void ReadXml_NoUsableCode_FallsBackOnTheStatus(int status, string body, string expectedCode)
    {
        // Act
        var error = AwsErrorReader.ReadXml((HttpStatusCode)status, Headers, body);

        // Assert
        Assert.Equal(expectedCode, error.Code);
    }

    private static byte[] Utf8(string text) => Encoding.UTF8.GetBytes(text);
}
