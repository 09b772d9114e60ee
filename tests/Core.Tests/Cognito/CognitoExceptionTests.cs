using System.Net;
using IdentityReplicator.Core.Aws;
using IdentityReplicator.Core.Cognito;

namespace IdentityReplicator.Core.Tests.Cognito;

public sealed class CognitoExceptionTests
{
    [Theory]
    [InlineData("UserNotFoundException", typeof(UserNotFoundException))]
    [InlineData("UsernameExistsException", typeof(UsernameExistsException))]
    [InlineData("AliasExistsException", typeof(AliasExistsException))]
    [InlineData("GroupExistsException", typeof(GroupExistsException))]
    [InlineData("ResourceNotFoundException", typeof(ResourceNotFoundException))]
    [InlineData("InvalidParameterException", typeof(InvalidParameterException))]
    [InlineData("NotAuthorizedException", typeof(NotAuthorizedException))]
    [InlineData("TooManyRequestsException", typeof(TooManyRequestsException))]
    [InlineData("InternalErrorException", typeof(InternalErrorException))]
    [InlineData("LimitExceededException", typeof(CognitoException))]
    public void From_KnownCode_ReturnsTheMatchingType(string code, Type expected)
    {
        // Act
        var exception = CognitoException.From(new AwsErrorInfo(code, "msg", HttpStatusCode.BadRequest, "rid"));

        // Assert
        Assert.IsType(expected, exception, exactMatch: true);
    }

    [Fact]
    public void From_EmulatorsUnsupportedAnswer_IsNotRetriedThoughItIsA500()
    {
        // Act
        var exception = CognitoException.From(new AwsErrorInfo("Unsupported", "Cognito Local unsupported feature", HttpStatusCode.InternalServerError, null));

        // Assert
        Assert.IsType<UnsupportedOperationException>(exception);
        Assert.False(exception.IsRetryable);
    }

    [Fact]
    public void From_AnyError_CarriesCodeMessageStatusRequestIdAndService()
    {
        // Act
        var exception = CognitoException.From(new AwsErrorInfo("UserNotFoundException", "User does not exist.", HttpStatusCode.BadRequest, "req-1"));

        // Assert
        Assert.Equal("cognito-idp", exception.Service);
        Assert.Equal("UserNotFoundException", exception.ErrorCode);
        Assert.Equal("User does not exist.", exception.Message);
        Assert.Equal(HttpStatusCode.BadRequest, exception.StatusCode);
        Assert.Equal("req-1", exception.RequestId);
    }

    [Theory]
    // code, status, throttling, retryable
    [InlineData("TooManyRequestsException", 400, true, true)]
    [InlineData("TooManyRequestsException", 429, true, true)]
    [InlineData("ThrottlingException", 400, true, true)]
    [InlineData("InternalErrorException", 400, false, true)]
    [InlineData("InternalErrorException", 500, false, true)]
    [InlineData("ServiceUnavailable", 503, false, true)]
    [InlineData("SomeNewServerError", 500, false, true)]
    [InlineData("InvalidParameterException", 400, false, false)]
    [InlineData("UserNotFoundException", 400, false, false)]
    [InlineData("NotAuthorizedException", 400, false, false)]
    [InlineData("UsernameExistsException", 400, false, false)]
    public void IsThrottlingAndIsRetryable_ByCodeAndStatus_SayWhetherToRetry(string code, int status, bool throttling, bool retryable)
    {
        // Arrange
        var exception = CognitoErrors.Create(code, "m", (HttpStatusCode)status);

        // Act / Assert
        Assert.Equal((throttling, retryable), (exception.IsThrottling, exception.IsRetryable));
    }

    [Fact]
    public void AwsErrorCodes_ThrottlingCodesAreNotTransientCodes_SetsDoNotOverlap()
    {
        // Arrange
        string[] throttling = ["TooManyRequestsException", "ThrottlingException", "RequestLimitExceeded", "SlowDown", "ProvisionedThroughputExceededException"];
        string[] transient = ["InternalErrorException", "InternalServerError", "InternalFailure", "ServiceUnavailable", "RequestTimeout"];

        // Act / Assert
        Assert.All(throttling, c => Assert.True(AwsErrorCodes.IsThrottling(c) && !AwsErrorCodes.IsTransient(c), c));
        Assert.All(transient, c => Assert.True(AwsErrorCodes.IsTransient(c) && !AwsErrorCodes.IsThrottling(c), c));
        Assert.False(AwsErrorCodes.IsThrottling("toomanyrequestsexception"));
    }

    [Theory]
    [InlineData("AccessDeniedException", true)]
    [InlineData("UnrecognizedClientException", true)]
    [InlineData("ExpiredTokenException", true)]
    [InlineData("InvalidClientTokenId", true)]
    [InlineData("KMSAccessDeniedException", true)]
    [InlineData("KMSDisabledException", true)]
    [InlineData("KMSThrottlingException", false)]
    [InlineData("InvalidParameterException", false)]
    [InlineData("TooManyRequestsException", false)]
    [InlineData("NotAuthorizedException", false)]
    public void IsPermissionProblem_Code_SaysWhetherTheCallerLacksPermissionOrValidCredentials(string code, bool expected)
    {
        var exception = CognitoException.From(new AwsErrorInfo(code, "msg", HttpStatusCode.BadRequest, null) { Operation = "AdminCreateUser" });

        Assert.Equal(expected, exception.IsPermissionProblem);
        Assert.Equal("AdminCreateUser", exception.Operation);
    }
}
