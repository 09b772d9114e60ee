using System.Net;
using IdentityReplicator.Core.Aws;

namespace IdentityReplicator.Core.Cognito;

/// <summary>An error answered by the Cognito user pools API. Subclasses exist for the errors the tool acts on.</summary>
public class CognitoException : AwsServiceException
{
    public CognitoException(AwsErrorInfo error)
        : base("cognito-idp", error.Code, error.Message, error.StatusCode, error.RequestId)
    {
        Operation = error.Operation;
    }

    public CognitoException()
    {
    }

    public CognitoException(string message)
        : base(message)
    {
    }

    public CognitoException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    /// <summary>Maps an error reply to the most specific exception type.</summary>
    public static CognitoException From(AwsErrorInfo error) => error.Code switch
    {
        "UserNotFoundException" => new UserNotFoundException(error),
        "UsernameExistsException" => new UsernameExistsException(error),
        "AliasExistsException" => new AliasExistsException(error),
        "GroupExistsException" => new GroupExistsException(error),
        "ResourceNotFoundException" => new ResourceNotFoundException(error),
        "InvalidParameterException" => new InvalidParameterException(error),
        "NotAuthorizedException" => new NotAuthorizedException(error),
        "TooManyRequestsException" => new TooManyRequestsException(error),
        "InternalErrorException" => new InternalErrorException(error),
        "OperationNotEnabledException" => new OperationNotEnabledException(error),
        "FeatureUnavailableInTierException" => new FeatureUnavailableInTierException(error),
        "Unsupported" or "UnknownOperationException" => new UnsupportedOperationException(error),
        _ => new CognitoException(error),
    };
}

/// <summary>The user does not exist (or, for admin calls, the alias matches nobody).</summary>
public sealed class UserNotFoundException(AwsErrorInfo error) : CognitoException(error);

/// <summary>A user with that username already exists.</summary>
public sealed class UsernameExistsException(AwsErrorInfo error) : CognitoException(error);

/// <summary>Another user already holds that email or phone number as an alias.</summary>
internal sealed class AliasExistsException(AwsErrorInfo error) : CognitoException(error);

/// <summary>A group with that name already exists.</summary>
public sealed class GroupExistsException(AwsErrorInfo error) : CognitoException(error);

/// <summary>The pool, group or client does not exist.</summary>
public sealed class ResourceNotFoundException(AwsErrorInfo error) : CognitoException(error);

/// <summary>A parameter was rejected, e.g. an attribute the pool's schema does not have.</summary>
public sealed class InvalidParameterException(AwsErrorInfo error) : CognitoException(error);

/// <summary>Not allowed: wrong password, disabled user, or missing IAM permission.</summary>
public sealed class NotAuthorizedException(AwsErrorInfo error) : CognitoException(error);

/// <summary>The account's request rate for the operation's quota category was exceeded. Retry after backing off.</summary>
public sealed class TooManyRequestsException(AwsErrorInfo error) : CognitoException(error)
{
    public override bool IsThrottling => true;
}

/// <summary>Cognito failed internally. Retry.</summary>
public sealed class InternalErrorException(AwsErrorInfo error) : CognitoException(error)
{
    public override bool IsRetryable => true;
}

/// <summary>
/// The endpoint does not serve the operation (an emulator: cognito-local answers <c>Unsupported</c> with a 500). Never
/// retried: asking again gets the same answer.
/// </summary>
internal sealed class UnsupportedOperationException(AwsErrorInfo error) : CognitoException(error)
{
    public override bool IsRetryable => false;
}

/// <summary>
/// The pool's feature plan or configuration does not allow the operation (e.g. a native replica of a Lite pool, or of a
/// pool not on Cognito's newer infrastructure). Asking again gets the same answer until someone changes the pool.
/// </summary>
public abstract class PoolFeatureRefusedException(AwsErrorInfo error) : CognitoException(error)
{
    public override bool IsRetryable => false;
}

/// <summary><c>OperationNotEnabledException</c>: not available for this pool's configuration, in this Region, or in a secondary replica.</summary>
public sealed class OperationNotEnabledException(AwsErrorInfo error) : PoolFeatureRefusedException(error);

/// <summary><c>FeatureUnavailableInTierException</c>: the pool's feature plan (e.g. Lite) does not include the feature.</summary>
public sealed class FeatureUnavailableInTierException(AwsErrorInfo error) : PoolFeatureRefusedException(error);

/// <summary>Convenience for building errors in fakes and tests.</summary>
internal static class CognitoErrors
{
    public static CognitoException Create(string code, string message, HttpStatusCode status = HttpStatusCode.BadRequest) =>
        CognitoException.From(new AwsErrorInfo(code, message, status, null));
}
