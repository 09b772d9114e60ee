using IdentityReplicator.Failover.Execution;
using IdentityReplicator.TestSupport;

namespace IdentityReplicator.Failover.Tests.Logging;

/// <summary>The failover tool's failures are logged with their exception (docs/design/decisions.md).</summary>
public sealed class FailureLoggingTests
{
    [Fact]
    public void Log_EveryEntryAtWarningOrAbove_CarriesItsExceptionOrHasADebugDetailThatDoes()
    {
        var problems = FailureLogging.EntriesWithoutTheirException(typeof(FailoverRunner).Assembly, new Dictionary<string, string>());

        Assert.Empty(problems);
    }

    [Fact]
    public void CatchBlocks_ThatLog_PassTheExceptionTheyCaught()
    {
        var problems = FailureLogging.CatchBlocksThatDropTheException("Failover");

        Assert.Empty(problems);
    }
}
