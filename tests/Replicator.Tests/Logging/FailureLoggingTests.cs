using IdentityReplicator.Replicator.Lambda;
using IdentityReplicator.TestSupport;

namespace IdentityReplicator.Replicator.Tests.Logging;

/// <summary>The Replicator's failures are logged with their exception (docs/design/decisions.md).</summary>
public sealed class FailureLoggingTests
{
    /// <summary>Warnings about input the function refuses: nothing was thrown, so there is no exception to carry.</summary>
    private static readonly Dictionary<string, string> Refusals = new(StringComparer.Ordinal)
    {
        ["PayloadUnreadable"] = "the payload's bytes are not UTF-8 JSON; the reader names the kind of problem",
        ["EventMalformed"] = "an event of the wrong shape",
        ["EventInvalid"] = "an event naming an identifier Cognito cannot have",
        ["HintInvalid"] = "a hint naming an identifier Cognito cannot have",
        ["RuntimeProblem"] = "the Lambda Runtime API answered with an error status",
    };

    [Fact]
    public void Log_EveryEntryAtWarningOrAbove_CarriesItsExceptionOrHasADebugDetailThatDoes()
    {
        var problems = FailureLogging.EntriesWithoutTheirException(typeof(ReplicatorFunction).Assembly, Refusals);

        Assert.Empty(problems);
    }

    [Fact]
    public void CatchBlocks_ThatLog_PassTheExceptionTheyCaught()
    {
        var problems = FailureLogging.CatchBlocksThatDropTheException("Replicator");

        Assert.Empty(problems);
    }
}
