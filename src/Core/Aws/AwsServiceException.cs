using System.Net;

namespace IdentityReplicator.Core.Aws;

/// <summary>
/// An error answered by an AWS service (or an emulator of one). <see cref="IsRetryable"/> says whether the
/// same request may succeed later; <see cref="IsThrottling"/> says the caller went faster than its quota.
/// </summary>
public class AwsServiceException : Exception
{
    public AwsServiceException(string service, string errorCode, string message, HttpStatusCode statusCode, string? requestId, Exception? innerException = null)
        : base(message, innerException)
    {
        Service = service;
        ErrorCode = errorCode;
        StatusCode = statusCode;
        RequestId = requestId;
    }

    public AwsServiceException()
        : this("unknown", "Unknown", "Unknown AWS error", HttpStatusCode.InternalServerError, null)
    {
    }

    public AwsServiceException(string message)
        : this("unknown", "Unknown", message, HttpStatusCode.InternalServerError, null)
    {
    }

    public AwsServiceException(string message, Exception innerException)
        : this("unknown", "Unknown", message, HttpStatusCode.InternalServerError, null, innerException)
    {
    }

    /// <summary>The service's signing name, e.g. <c>cognito-idp</c>.</summary>
    public string Service { get; }

    /// <summary>The error code without namespace, e.g. <c>UserNotFoundException</c>.</summary>
    public string ErrorCode { get; }

    public HttpStatusCode StatusCode { get; }

    public string? RequestId { get; }

    /// <summary>The API operation that failed (e.g. <c>AdminCreateUser</c>), where known.</summary>
    public string? Operation { get; init; }

    public virtual bool IsThrottling => AwsErrorCodes.IsThrottling(ErrorCode);

    /// <summary>
    /// The caller may not make this call: a missing IAM permission, invalid or expired credentials, or no access to a
    /// KMS key. Systemic — every request fails alike until someone fixes the role — never a problem of one request.
    /// </summary>
    public bool IsPermissionProblem => AwsErrorCodes.IsPermission(ErrorCode);

    public virtual bool IsRetryable => IsThrottling || (int)StatusCode >= 500 || AwsErrorCodes.IsTransient(ErrorCode);
}

/// <summary>Error codes that mean "slow down" or "try again" across AWS services.</summary>
public static class AwsErrorCodes
{
    private static readonly HashSet<string> Throttling = new(StringComparer.Ordinal)
    {
        "TooManyRequestsException", "ThrottlingException", "Throttling", "ThrottledException",
        "RequestLimitExceeded", "RequestThrottled", "RequestThrottledException", "SlowDown",
        "ProvisionedThroughputExceededException", "TransactionInProgressException", "PriorRequestNotComplete",
    };

    private static readonly HashSet<string> Transient = new(StringComparer.Ordinal)
    {
        "InternalErrorException", "InternalServerError", "InternalFailure", "ServiceUnavailable",
        "ServiceUnavailableException", "InternalServerException", "RequestTimeout", "RequestTimeoutException",
    };

    private static readonly HashSet<string> Permission = new(StringComparer.Ordinal)
    {
        "AccessDeniedException", "AccessDenied", "UnauthorizedOperation", "UnrecognizedClientException",
        "InvalidClientTokenId", "ExpiredTokenException", "ExpiredToken", "MissingAuthenticationToken",
        "MissingAuthenticationTokenException", "IncompleteSignature", "InvalidSignatureException", "SignatureDoesNotMatch",
    };

    public static bool IsThrottling(string code) => Throttling.Contains(code);

    /// <summary>
    /// Permission and credential errors (<c>AccessDeniedException</c>, <c>UnrecognizedClientException</c>,
    /// <c>ExpiredTokenException</c>, <c>InvalidClientTokenId</c>, …) and KMS key access errors (<c>KMS…Exception</c>,
    /// e.g. <c>KMSAccessDeniedException</c>, <c>KMSDisabledException</c>).
    /// </summary>
    public static bool IsPermission(string code) =>
        Permission.Contains(code) || (code.StartsWith("KMS", StringComparison.Ordinal) && !code.Contains("Throttling", StringComparison.Ordinal));

    /// <summary>Whether a permission error is about credentials themselves (unknown, expired, badly signed) rather than a missing grant.</summary>
    public static bool IsCredential(string code) => code is "UnrecognizedClientException" or "InvalidClientTokenId" or "ExpiredTokenException"
        or "ExpiredToken" or "MissingAuthenticationToken" or "MissingAuthenticationTokenException" or "IncompleteSignature"
        or "InvalidSignatureException" or "SignatureDoesNotMatch";

    public static bool IsTransient(string code) => Transient.Contains(code);
}
