using IdentityReplicator.Cli.Hosting;
using IdentityReplicator.TestSupport;

namespace IdentityReplicator.Integration.Tests.Logging;

/// <summary>The command line's and the worker host's failures are logged with their exception (docs/design/decisions.md).</summary>
public sealed class FailureLoggingTests
{
    [Fact]
    public void Log_EveryEntryAtWarningOrAbove_CarriesItsExceptionOrHasADebugDetailThatDoes()
    {
        var problems = FailureLogging.EntriesWithoutTheirException(typeof(WorkerHost).Assembly, new Dictionary<string, string>());

        Assert.Empty(problems);
    }

    [Fact]
    public void CatchBlocks_ThatLog_PassTheExceptionTheyCaught()
    {
        var problems = FailureLogging.CatchBlocksThatDropTheException("Cli");

        Assert.Empty(problems);
    }
}
