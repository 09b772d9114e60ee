namespace IdentityReplicator.Sandbox.Cognito.Configuration;

/// <summary>
/// An error the front answers in Cognito's place: <see cref="Type"/> is the Cognito error type (the reply's
/// <c>__type</c>), returned with HTTP 400 as Cognito does for client faults.
/// </summary>
internal sealed class CognitoFault(string type, string message) : Exception(message)
{
    public string Type { get; } = type;

    public FrontReply ToReply() => FrontReply.Error(400, Type, Message);

    public static CognitoFault Invalid(string message) => new("InvalidParameterException", message);

    public static CognitoFault NotFound(string message) => new("ResourceNotFoundException", message);

    public static CognitoFault Limit(string message) => new("LimitExceededException", message);
}
