using System.Collections.Immutable;
using Amazon.DynamoDBv2.Model;
using IdentityReplicator.Core.Configuration;
using IdentityReplicator.Failover.Journal;
using IdentityReplicator.TestSupport;

namespace IdentityReplicator.Failover.Tests.Execution;

/// <summary>
/// The execution journal's items in the mirror table, pinned (golden test): a run, its index entry and a step, with
/// their exact attribute names, types and values. Journals of earlier runs must stay readable by <c>status</c> and
/// <c>resume</c> (docs/design/mirror-table.md).
/// </summary>
[Collection(DynaliteCollection.Name)]
public sealed class JournalItemFormatTests(DynaliteFixture dynalite)
{
    private static readonly DateTimeOffset T0 = new(2025, 3, 1, 12, 0, 0, TimeSpan.Zero);
    private static readonly CancellationToken None = CancellationToken.None;

    [Fact]
    public async Task CreateRunAndPutStep_WriteTheseItems_AndReadThemBack()
    {
        // Arrange
        var options = await dynalite.NewTableAsync();
        var journal = new DynamoDbExecutionJournal(dynalite.Client, options.TableName);
        var run = new RunRecord
        {
            RunId = "run-1",
            Kind = "drill",
            Environment = "sandbox",
            From = PoolRole.Primary,
            To = PoolRole.Standby,
            PlanHash = "plan-hash",
            PlanPath = "plan.yaml",
            StartedAt = T0,
            EndedAt = T0.AddSeconds(90),
            State = RunState.Succeeded,
            Attempts = 2,
            RtoSeconds = 12.5,
            RpoEstimateSeconds = 0.25,
            Summary = "ok",
        };
        var step = new StepRecord
        {
            Name = "fence",
            State = StepState.Succeeded,
            StartedAt = T0.AddSeconds(1),
            EndedAt = T0.AddSeconds(2),
            Attempts = 1,
            AlreadyDone = true,
            Detail = "epoch 1",
            Data = ImmutableDictionary<string, string>.Empty.Add("epoch", "1"),
        };

        // Act
        await journal.CreateRunAsync(run, None);
        await journal.UpdateRunAsync(run, None);
        await journal.PutStepAsync("run-1", step, None);
        var runItem = await RawAsync(options.TableName, "RUN#run-1", "RUN");
        var indexItem = await RawAsync(options.TableName, "RUNS", "0638764272000000000#run-1");
        var stepItem = await RawAsync(options.TableName, "RUN#run-1", "STEP#fence");

        // Assert
        Assert.Equal(
            """
            ended N 638764272900000000
            env S sandbox
            from S Primary
            kind S drill
            n N 2
            path S plan.yaml
            pk S RUN#run-1
            plan S plan-hash
            rpo N 0.25
            rto N 12.5
            sk S RUN
            started N 638764272000000000
            state S Succeeded
            summary S ok
            to S Standby
            """,
            runItem);
        Assert.Equal(
            """
            pk S RUNS
            run S run-1
            sk S 0638764272000000000#run-1
            """,
            indexItem);
        Assert.Equal(
            """
            data M {epoch: S 1}
            detail S epoch 1
            done BOOL true
            ended N 638764272020000000
            n N 1
            name S fence
            pk S RUN#run-1
            sk S STEP#fence
            started N 638764272010000000
            state S Succeeded
            """,
            stepItem);
        Assert.Equal(run, Assert.Single(await journal.ListRunsAsync(10, None)));
        var read = Assert.Single(await journal.GetStepsAsync("run-1", None));
        Assert.Equal(step with { Data = ImmutableDictionary<string, string>.Empty }, read with { Data = ImmutableDictionary<string, string>.Empty });
        Assert.Equal(step.Data, read.Data);
    }

    private async Task<string> RawAsync(string table, string pk, string sk)
    {
        var response = await dynalite.Client.GetItemAsync(new GetItemRequest
        {
            TableName = table,
            Key = new Dictionary<string, AttributeValue> { ["pk"] = new() { S = pk }, ["sk"] = new() { S = sk } },
            ConsistentRead = true,
        });
        Assert.True(response.Item is { Count: > 0 }, $"no item {pk} / {sk}");
        return ItemText.Render(response.Item);
    }
}
