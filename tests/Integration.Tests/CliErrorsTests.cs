using System.Net;
using IdentityReplicator.Cli.Hosting;
using IdentityReplicator.Core.Aws;
using IdentityReplicator.Core.Cognito;
using IdentityReplicator.Core.Configuration;
using IdentityReplicator.Core.Mirror;
using IdentityReplicator.Failover.Execution;
using IdentityReplicator.Failover.Journal;
using IdentityReplicator.Failover.Plans;
using IdentityReplicator.Reconciler.Drift.Storage;

namespace IdentityReplicator.Integration.Tests;

/// <summary>The one exit-code mapping of the command line: 0 ok, 1 a check failed, 2 usage, configuration or service error, 3 interrupted.</summary>
public sealed class CliErrorsTests
{
    public static TheoryData<Exception, int, string> Errors() => new()
    {
        { new ConfigurationException(ConfigurationProblem.Rule("Mirror:FeedBuckets is 'abc'; it must be a whole number.")), 2, "Mirror:FeedBuckets is 'abc'; it must be a whole number." },
        { new CliUsageException("Config file 'x.json' (--config) does not exist; …"), 2, "Config file 'x.json' (--config) does not exist; …" },
        { new PlanException([new PlanProblem("/p.yaml", 3, 5, "dns.ttl", "dns.ttl is 'x'; it must be …")]), 2, "The plan cannot be used:\n  /p.yaml:3:5: dns.ttl is 'x'; it must be …" },
        { new FailoverException("'execute' changes production: add --confirm prod (the plan's environment name) to go ahead."), 2, "'execute' changes production: add --confirm prod (the plan's environment name) to go ahead." },
        { new AwsServiceException("route53", "AccessDenied", "no", HttpStatusCode.Forbidden, null), 2, "Failed: no" },
        { new MirrorStoreException("Mirror table 't' does not exist"), 2, "Failed: Mirror table 't' does not exist" },
        { new JournalException("Could not write the run"), 2, "Failed: Could not write the run" },
        { new ReportStoreException("Could not write the drift report"), 2, "Failed: Could not write the drift report" },
        { new HttpRequestException("Connection refused"), 2, "Failed: Connection refused" },
        { new IOException("Disk full"), 2, "Failed: Disk full" },
        { new UnauthorizedAccessException("Access denied"), 2, "Failed: Access denied" },
        { new TriggerConflictException("Pool p already has PreSignUp → f; …"), 1, "Pool p already has PreSignUp → f; …" },
        { new OperationCanceledException(), 3, string.Empty },
    };

    [Theory]
    [MemberData(nameof(Errors))]
    public void ExitCodeForAndDescribe_EachKindOfError_IsItsDocumentedCodeAndMessage(Exception error, int exitCode, string text)
    {
        Assert.Equal(exitCode, CliErrors.ExitCodeFor(error));
        Assert.Equal(text, string.Join("\n", CliErrors.Describe(error)));
    }

    [Fact]
    public void ExitCodeForAndDescribe_AnythingElse_IsABugShownWholeWithExitOne()
    {
        var bug = Thrown(new InvalidOperationException("Sequence contains no elements"));

        Assert.Equal(1, CliErrors.ExitCodeFor(bug));
        var text = Assert.Single(CliErrors.Describe(bug));
        Assert.StartsWith("Unhandled exception: System.InvalidOperationException: Sequence contains no elements", text, StringComparison.Ordinal);
        Assert.Contains("   at ", text, StringComparison.Ordinal);
    }

    [Fact]
    public void Describe_ServiceErrorWithPersonalDataInAnInnerException_ShowsOnlyItsOwnMessage()
    {
        var error = new MirrorStoreException("Could not write in mirror table 't'", new InvalidOperationException("user someone@example.com"));

        Assert.Equal(["Failed: Could not write in mirror table 't'"], CliErrors.Describe(error));
    }

    [Fact]
    public async Task RunAsync_InterruptedByTheOperator_ExitsThreeAndTheCommandsWordDescribesIt()
    {
        using var interrupt = new CancellationTokenSource();
        await interrupt.CancelAsync();

        var exit = await CliErrors.RunAsync(() => Task.FromException<int>(new OperationCanceledException(interrupt.Token)), "Interrupted. Resume it.", interrupt.Token);

        Assert.Equal(3, exit);
        Assert.Equal(["Interrupted. Resume it."], CliErrors.Describe(new OperationCanceledException(), "Interrupted. Resume it."));
    }

    [Fact]
    public async Task RunAsync_CancelledWithoutTheOperator_ExitsThree()
    {
        var exit = await CliErrors.RunAsync(() => Task.FromException<int>(new TaskCanceledException("timeout")), "Interrupted. Resume it.", CancellationToken.None);

        Assert.Equal(3, exit);
    }

    [Fact]
    public async Task RunAsync_BodyEnds_ReturnsItsExitCode()
    {
        Assert.Equal(1, await CliErrors.RunAsync(() => Task.FromResult(1), "unused", CancellationToken.None));
    }

    private static Exception Thrown(Exception error)
    {
        try
        {
            throw error;
        }
        catch (InvalidOperationException e)
        {
            return e;
        }
    }
}
