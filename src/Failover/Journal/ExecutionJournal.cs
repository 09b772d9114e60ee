using System.Collections.Immutable;
using System.Globalization;
using Amazon.DynamoDBv2;
using Amazon.DynamoDBv2.Model;
using IdentityReplicator.Core.Configuration;
using IdentityReplicator.Core.Mirror;
using RunNames = IdentityReplicator.Core.Mirror.MirrorAttributes.Run;
using StepNames = IdentityReplicator.Core.Mirror.MirrorAttributes.Step;

namespace IdentityReplicator.Failover.Journal;

public enum RunState
{
    Running,
    Succeeded,
    Failed,
    Aborted,
}

public enum StepState
{
    Pending,
    Running,
    Succeeded,
    Failed,
}

/// <summary>One run of a plan (a drill, an execution or a failback), as the journal keeps it.</summary>
public sealed record RunRecord
{
    public required string RunId { get; init; }

    /// <summary>The run's <see cref="Execution.RunKind"/> by name: <c>drill</c>, <c>execute</c> or <c>failback</c>.</summary>
    public required string Kind { get; init; }

    public required string Environment { get; init; }

    public required PoolRole From { get; init; }

    public required PoolRole To { get; init; }

    public required string PlanHash { get; init; }

    public string? PlanPath { get; init; }

    public required DateTimeOffset StartedAt { get; init; }

    public DateTimeOffset? EndedAt { get; init; }

    public RunState State { get; init; } = RunState.Running;

    /// <summary>How many times the run was started (1 + resumes).</summary>
    public int Attempts { get; init; } = 1;

    public double? RtoSeconds { get; init; }

    public double? RpoEstimateSeconds { get; init; }

    public string? Summary { get; init; }
}

/// <summary>One step of a run: when it started and ended, what it did, and what it needs to resume (<see cref="Data"/>).</summary>
public sealed record StepRecord
{
    public required string Name { get; init; }

    public StepState State { get; init; } = StepState.Pending;

    public DateTimeOffset? StartedAt { get; init; }

    public DateTimeOffset? EndedAt { get; init; }

    public int Attempts { get; init; }

    /// <summary>The step found its work done already (by an earlier attempt or by hand) and changed nothing.</summary>
    public bool AlreadyDone { get; init; }

    public string? Detail { get; init; }

    public ImmutableDictionary<string, string> Data { get; init; } = ImmutableDictionary<string, string>.Empty;

    public double? Seconds => StartedAt is { } s && EndedAt is { } e ? (e - s).TotalSeconds : null;
}

/// <summary>
/// The execution journal: every run and every step's start, result and timing, so a run that was killed resumes
/// without repeating what it completed, and <c>status</c> can show any run.
/// </summary>
public interface IExecutionJournal
{
    /// <summary>Records a new run; fails if the id is taken.</summary>
    Task CreateRunAsync(RunRecord run, CancellationToken cancellationToken);

    Task UpdateRunAsync(RunRecord run, CancellationToken cancellationToken);

    Task<RunRecord?> GetRunAsync(string runId, CancellationToken cancellationToken);

    /// <summary>The newest runs first.</summary>
    Task<IReadOnlyList<RunRecord>> ListRunsAsync(int limit, CancellationToken cancellationToken);

    Task<IReadOnlyList<StepRecord>> GetStepsAsync(string runId, CancellationToken cancellationToken);

    /// <summary>Writes a step. A step that succeeded is never overwritten (a late writer cannot undo it).</summary>
    Task PutStepAsync(string runId, StepRecord step, CancellationToken cancellationToken);
}

/// <summary>The journal could not be read or written.</summary>
public sealed class JournalException(string message, Exception? inner = null) : Exception(message, inner);

/// <summary><see cref="IExecutionJournal"/> in the mirror table: <c>RUN#&lt;id&gt;</c> items, and a <c>RUNS</c> index by start time.</summary>
internal sealed class DynamoDbExecutionJournal(IAmazonDynamoDB dynamo, string tableName) : IExecutionJournal
{
    public async Task CreateRunAsync(RunRecord run, CancellationToken cancellationToken)
    {
        try
        {
            await dynamo.PutItemAsync(
                new PutItemRequest
                {
                    TableName = tableName,
                    Item = RunItem(run),
                    ConditionExpression = $"attribute_not_exists({MirrorTable.PartitionKey})",
                },
                cancellationToken);
            await dynamo.PutItemAsync(
                new PutItemRequest
                {
                    TableName = tableName,
                    Item = new Dictionary<string, AttributeValue>
                    {
                        [MirrorTable.PartitionKey] = S(MirrorTable.RunsPartition),
                        [MirrorTable.SortKey] = S(MirrorTable.RunIndexSortKey(run.StartedAt, run.RunId)),
                        [MirrorAttributes.RunIndex.RunId] = S(run.RunId),
                    },
                },
                cancellationToken);
        }
        catch (ConditionalCheckFailedException e)
        {
            throw new JournalException($"A run with id {run.RunId} exists already.", e);
        }
        catch (AmazonDynamoDBException e)
        {
            throw Wrap(e, "record a run");
        }
    }

    public async Task UpdateRunAsync(RunRecord run, CancellationToken cancellationToken)
    {
        try
        {
            await dynamo.PutItemAsync(new PutItemRequest { TableName = tableName, Item = RunItem(run) }, cancellationToken);
        }
        catch (AmazonDynamoDBException e)
        {
            throw Wrap(e, "update a run");
        }
    }

    public async Task<RunRecord?> GetRunAsync(string runId, CancellationToken cancellationToken)
    {
        try
        {
            var response = await dynamo.GetItemAsync(
                new GetItemRequest { TableName = tableName, Key = Key(runId, MirrorTable.RunSortKey), ConsistentRead = true },
                cancellationToken);
            return response.Item is { Count: > 0 } item ? ReadRun(item) : null;
        }
        catch (AmazonDynamoDBException e)
        {
            throw Wrap(e, "read a run");
        }
    }

    public async Task<IReadOnlyList<RunRecord>> ListRunsAsync(int limit, CancellationToken cancellationToken)
    {
        var runs = new List<RunRecord>();
        foreach (var item in await QueryAsync($"{MirrorTable.PartitionKey} = :pk", new() { [":pk"] = S(MirrorTable.RunsPartition) }, newestFirst: true, limit, "list runs", cancellationToken))
        {
            if (await GetRunAsync(item[MirrorAttributes.RunIndex.RunId].S, cancellationToken) is { } run)
            {
                runs.Add(run);
            }
        }

        return runs;
    }

    public async Task<IReadOnlyList<StepRecord>> GetStepsAsync(string runId, CancellationToken cancellationToken) =>
        [.. (await QueryAsync(
            $"{MirrorTable.PartitionKey} = :pk AND begins_with({MirrorTable.SortKey}, :step)",
            new() { [":pk"] = S(MirrorTable.RunPartition(runId)), [":step"] = S(MirrorTable.StepSortKeyPrefix) },
            newestFirst: false,
            null,
            "read the steps of a run",
            cancellationToken)).Select(ReadStep)];

    public async Task PutStepAsync(string runId, StepRecord step, CancellationToken cancellationToken)
    {
        var item = Key(runId, MirrorTable.StepSortKey(step.Name));
        item[StepNames.Name] = S(step.Name);
        item[StepNames.State] = S(step.State.ToString());
        item[StepNames.Attempts] = N(step.Attempts);
        item[StepNames.AlreadyDone] = new AttributeValue { BOOL = step.AlreadyDone };
        AddTime(item, StepNames.StartedAt, step.StartedAt);
        AddTime(item, StepNames.EndedAt, step.EndedAt);
        if (step.Detail is not null)
        {
            item[StepNames.Detail] = S(step.Detail);
        }

        if (!step.Data.IsEmpty)
        {
            item[StepNames.Data] = new AttributeValue { M = step.Data.ToDictionary(d => d.Key, d => S(d.Value)) };
        }

        try
        {
            await dynamo.PutItemAsync(
                new PutItemRequest
                {
                    TableName = tableName,
                    Item = item,
                    ConditionExpression = $"attribute_not_exists({MirrorTable.PartitionKey}) OR #state <> :succeeded",
                    ExpressionAttributeNames = new Dictionary<string, string> { ["#state"] = StepNames.State },
                    ExpressionAttributeValues = new Dictionary<string, AttributeValue> { [":succeeded"] = S(nameof(StepState.Succeeded)) },
                },
                cancellationToken);
        }
        catch (ConditionalCheckFailedException)
        {
            // It succeeded before: keep that record.
        }
        catch (AmazonDynamoDBException e)
        {
            throw Wrap(e, "record a step");
        }
    }

    private async Task<List<Dictionary<string, AttributeValue>>> QueryAsync(
        string keyCondition, Dictionary<string, AttributeValue> values, bool newestFirst, int? limit, string action, CancellationToken cancellationToken)
    {
        try
        {
            var response = await dynamo.QueryAsync(
                new QueryRequest
                {
                    TableName = tableName,
                    KeyConditionExpression = keyCondition,
                    ExpressionAttributeValues = values,
                    ScanIndexForward = !newestFirst,
                    Limit = limit,
                    ConsistentRead = true,
                },
                cancellationToken);
            return response.Items ?? [];
        }
        catch (AmazonDynamoDBException e)
        {
            throw Wrap(e, action);
        }
    }

    private static Dictionary<string, AttributeValue> RunItem(RunRecord run)
    {
        var item = Key(run.RunId, MirrorTable.RunSortKey);
        item[RunNames.Kind] = S(run.Kind);
        item[RunNames.Environment] = S(run.Environment);
        item[RunNames.From] = S(run.From.ToString());
        item[RunNames.To] = S(run.To.ToString());
        item[RunNames.PlanHash] = S(run.PlanHash);
        item[RunNames.State] = S(run.State.ToString());
        item[RunNames.Attempts] = N(run.Attempts);
        AddTime(item, RunNames.StartedAt, run.StartedAt);
        AddTime(item, RunNames.EndedAt, run.EndedAt);
        if (run.PlanPath is not null)
        {
            item[RunNames.PlanPath] = S(run.PlanPath);
        }

        if (run.RtoSeconds is { } rto)
        {
            item[RunNames.RtoSeconds] = new AttributeValue { N = rto.ToString("R", CultureInfo.InvariantCulture) };
        }

        if (run.RpoEstimateSeconds is { } rpo)
        {
            item[RunNames.RpoEstimateSeconds] = new AttributeValue { N = rpo.ToString("R", CultureInfo.InvariantCulture) };
        }

        if (run.Summary is not null)
        {
            item[RunNames.Summary] = S(run.Summary);
        }

        return item;
    }

    private static RunRecord ReadRun(Dictionary<string, AttributeValue> item) => new()
    {
        RunId = MirrorTable.RunIdOf(item[MirrorTable.PartitionKey].S),
        Kind = Text(item, RunNames.Kind) ?? "drill",
        Environment = Text(item, RunNames.Environment) ?? string.Empty,
        From = Enum.Parse<PoolRole>(Text(item, RunNames.From) ?? nameof(PoolRole.Primary)),
        To = Enum.Parse<PoolRole>(Text(item, RunNames.To) ?? nameof(PoolRole.Standby)),
        PlanHash = Text(item, RunNames.PlanHash) ?? string.Empty,
        PlanPath = Text(item, RunNames.PlanPath),
        State = Enum.TryParse<RunState>(Text(item, RunNames.State), out var state) ? state : RunState.Running,
        Attempts = (int)(Number(item, RunNames.Attempts) ?? 1),
        StartedAt = Time(item, RunNames.StartedAt) ?? DateTimeOffset.MinValue,
        EndedAt = Time(item, RunNames.EndedAt),
        RtoSeconds = Number(item, RunNames.RtoSeconds),
        RpoEstimateSeconds = Number(item, RunNames.RpoEstimateSeconds),
        Summary = Text(item, RunNames.Summary),
    };

    private static StepRecord ReadStep(Dictionary<string, AttributeValue> item) => new()
    {
        Name = Text(item, StepNames.Name) ?? MirrorTable.StepNameOf(item[MirrorTable.SortKey].S),
        State = Enum.TryParse<StepState>(Text(item, StepNames.State), out var state) ? state : StepState.Pending,
        Attempts = (int)(Number(item, StepNames.Attempts) ?? 0),
        AlreadyDone = item.TryGetValue(StepNames.AlreadyDone, out var done) && done.BOOL == true,
        StartedAt = Time(item, StepNames.StartedAt),
        EndedAt = Time(item, StepNames.EndedAt),
        Detail = Text(item, StepNames.Detail),
        Data = item.TryGetValue(StepNames.Data, out var data) && data.M is not null
            ? data.M.ToImmutableDictionary(d => d.Key, d => d.Value.S ?? string.Empty, StringComparer.Ordinal)
            : ImmutableDictionary<string, string>.Empty,
    };

    private static Dictionary<string, AttributeValue> Key(string runId, string sk) => new()
    {
        [MirrorTable.PartitionKey] = S(MirrorTable.RunPartition(runId)),
        [MirrorTable.SortKey] = S(sk),
    };

    private static void AddTime(Dictionary<string, AttributeValue> item, string name, DateTimeOffset? value)
    {
        if (value is { } time)
        {
            item[name] = N(time.UtcTicks);
        }
    }

    private static DateTimeOffset? Time(Dictionary<string, AttributeValue> item, string name) =>
        item.TryGetValue(name, out var value) && value.N is not null ? new DateTimeOffset(long.Parse(value.N, CultureInfo.InvariantCulture), TimeSpan.Zero) : null;

    private static double? Number(Dictionary<string, AttributeValue> item, string name) =>
        item.TryGetValue(name, out var value) && value.N is not null ? double.Parse(value.N, CultureInfo.InvariantCulture) : null;

    private static string? Text(Dictionary<string, AttributeValue> item, string name) =>
        item.TryGetValue(name, out var value) ? value.S : null;

    private static AttributeValue S(string value) => new() { S = value };

    private static AttributeValue N(long value) => new() { N = value.ToString(CultureInfo.InvariantCulture) };

    private JournalException Wrap(AmazonDynamoDBException e, string action) =>
        new($"Could not {action} in the execution journal (mirror table '{tableName}'): {e.ErrorCode}: {e.Message}", e);
}
