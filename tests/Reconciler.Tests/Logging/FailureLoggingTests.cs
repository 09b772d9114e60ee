using IdentityReplicator.TestSupport;

namespace IdentityReplicator.Reconciler.Tests.Logging;

/// <summary>The reconciler's failures are logged with their exception (docs/design/decisions.md).</summary>
public sealed class FailureLoggingTests
{
    [Fact]
    public void Log_EveryEntryAtWarningOrAbove_CarriesItsExceptionOrHasADebugDetailThatDoes()
    {
        var problems = FailureLogging.EntriesWithoutTheirException(
            typeof(ReconcilerService).Assembly,
            new Dictionary<string, string>
            {
                // The refused write carries the new secret, and Cognito's message could quote it: the code is all that is logged.
                ["SecretRotationRefused"] = "the exception could hold the secret",
            });

        Assert.Empty(problems);
    }

    [Fact]
    public void Log_EveryEventId_NamesOneEntry()
    {
        Assert.Empty(FailureLogging.SharedEventIds(typeof(ReconcilerService).Assembly));
    }

    [Theory]
    [InlineData("Core")]
    [InlineData("Replicator")]
    [InlineData("Reconciler")]
    [InlineData("Failover")]
    [InlineData("Sandbox")]
    [InlineData("Cli")]
    public void CatchBlockReader_EveryProjectsSources_FindsEveryCatchWritten(string project)
    {
        var (found, written) = FailureLogging.CatchBlockCounts(project);

        Assert.True(written > 0, $"no catch in src/{project}");
        Assert.Equal(written, found);
    }

    [Fact]
    public void CatchBlocks_ThatLog_PassTheExceptionTheyCaught()
    {
        var problems = FailureLogging.CatchBlocksThatDropTheException("Reconciler");

        Assert.Empty(problems);
    }
}
