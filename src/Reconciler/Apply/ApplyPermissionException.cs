using IdentityReplicator.Core.Aws;
using IdentityReplicator.Core.Telemetry;

namespace IdentityReplicator.Reconciler.Apply;

/// <summary>
/// The target pool refused a call for lack of permission or valid credentials (<c>AccessDeniedException</c>,
/// <c>UnrecognizedClientException</c>, <c>ExpiredTokenException</c>, <c>InvalidClientTokenId</c>, KMS key access).
/// Systemic, not a problem of one user: it would fail every user alike, so nothing is parked; the feed poller retries
/// with backoff and the message says what to grant on which resource. Keeps the service error as the inner exception.
/// </summary>
internal sealed class ApplyPermissionException : Exception, IComponentFailure
{
    public ApplyPermissionException(string poolId, string region, AwsServiceException error)
        : base(Describe(poolId, region, error), error)
    {
        PoolId = poolId;
        Region = region;
        ErrorCode = error.ErrorCode;
        Operation = error.Operation;
    }

    public ApplyPermissionException()
    {
        PoolId = Region = ErrorCode = string.Empty;
    }

    public ApplyPermissionException(string message)
        : base(message)
    {
        PoolId = Region = ErrorCode = string.Empty;
    }

    public ApplyPermissionException(string message, Exception innerException)
        : base(message, innerException)
    {
        PoolId = Region = ErrorCode = string.Empty;
    }

    public string Component => "permissions";

    public string PoolId { get; }

    public string Region { get; }

    public string ErrorCode { get; }

    public string? Operation { get; }

    /// <summary>What failed, and the fix: the IAM action on the pool's ARN, the credentials, or the KMS key.</summary>
    public static string Describe(string poolId, string region, AwsServiceException error)
    {
        var action = error.Operation is { Length: > 0 } operation ? $"cognito-idp:{operation}" : "the cognito-idp Admin* and group actions listed in docs/permissions.md";
        var arn = $"arn:aws:cognito-idp:{region}:<account>:userpool/{poolId}";
        var what = error.Operation is { Length: > 0 } op ? $"{op} on pool {poolId} ({region})" : $"a call to pool {poolId} ({region})";
        string fix;
        if (AwsErrorCodes.IsCredential(error.ErrorCode))
        {
            fix = "the worker's AWS credentials are not valid (unknown, expired or badly signed): check the task role or the credentials the worker runs with (AWS_PROFILE, Aws:Profile), and the system clock";
        }
        else if (error.ErrorCode.StartsWith("KMS", StringComparison.Ordinal))
        {
            fix = $"the worker's role may not use the KMS key pool {poolId} uses: grant it kms:Decrypt and kms:GenerateDataKey on that key (and check the key is enabled)";
        }
        else
        {
            fix = $"grant the worker's role {action} on {arn} (docs/permissions.md, worker task role)";
        }

        return $"Cognito refused {what} with {error.ErrorCode}: {fix}. Nothing is parked: this would fail every user alike; the feed is retried with backoff until the permission is fixed.";
    }
}
