using IdentityReplicator.Core.Aws;
using IdentityReplicator.Core.Mirror;

namespace IdentityReplicator.Core.Telemetry;

/// <summary>Describes an exception for logs without its message (messages may quote user data).</summary>
public static class Reasons
{
    public static string Of(Exception exception) => exception switch
    {
        AwsServiceException aws => $"{aws.Service} {aws.ErrorCode}",
        Amazon.Runtime.AmazonServiceException amazon => $"{amazon.GetType().Name} {amazon.ErrorCode}",
        MirrorStoreException { InnerException: { } inner } => "mirror table: " + Of(inner),
        MirrorStoreException => "mirror table",
        HttpRequestException http => $"network: {http.HttpRequestError}",
        OperationCanceledException or TimeoutException => "timed out",
        _ => exception.GetType().Name,
    };
}
