using IdentityReplicator.Core.Aws;

namespace IdentityReplicator.Core.Telemetry;

/// <summary>An exception that stands for a failure of one of our components (the mirror table, the report store).</summary>
public interface IComponentFailure
{
    /// <summary>How logs name the component, e.g. <c>mirror table</c>.</summary>
    string Component { get; }
}

/// <summary>Describes an exception for logs without its message (messages may quote user data).</summary>
public static class Reasons
{
    public static string Of(Exception exception) => exception switch
    {
        AwsServiceException aws => $"{aws.Service} {aws.ErrorCode}",
        Amazon.Runtime.AmazonServiceException amazon => $"{amazon.GetType().Name} {amazon.ErrorCode}",
        IComponentFailure failure when exception.InnerException is { } inner => $"{failure.Component}: {Of(inner)}",
        IComponentFailure failure => failure.Component,
        HttpRequestException http => $"network: {http.HttpRequestError}",
        OperationCanceledException or TimeoutException => "timed out",
        _ => exception.GetType().Name,
    };
}
