using System.Text.Json.Nodes;
using CsCheck;
using IdentityReplicator.Core.Control;
using IdentityReplicator.Core.Mirror;
using IdentityReplicator.Replicator.Lambda;
using IdentityReplicator.TestSupport;
using NSubstitute;

namespace IdentityReplicator.Replicator.Tests.Lambda;

/// <summary>
/// Fuzzing the trigger path with mutated real Cognito events (<see cref="TriggerMutations"/>): whatever arrives, and
/// whatever the stores do, an invocation never throws, ends within one trigger budget of (fake) time, and answers with
/// the caller's event byte for byte — or, for a valid token event of a pool other than the primary (the standby), with
/// that event plus the primary_sub claim.
/// </summary>
public sealed class TriggerFuzzTests
{
    private const int Cases = 10_000;

    [Fact]
    public async Task InvokeAsync_MutatedRealTriggerEvents_AnswerWithTheEventWithinTheBudget()
    {
        var echoed = 0;
        var claimed = 0;

        // One function per way the stores behave, reused case after case (one at a time: they share fake time).
        var harnesses = new Dictionary<(StoreBehaviour, bool), FunctionHarness>();
        foreach (var stores in Enum.GetValues<StoreBehaviour>())
        {
            harnesses[(stores, false)] = Harness(stores, afterFailover: false);
            harnesses[(stores, true)] = Harness(stores, afterFailover: true);
        }

        await TriggerMutations.Cases.SampleAsync(
            async @case =>
            {
                var payload = @case.Payload();
                var harness = harnesses[(@case.Stores, @case.AfterFailover)];
                harness.Logs.Clear();

                var invoking = harness.Function.InvokeAsync(payload, CancellationToken.None);
                if (!invoking.IsCompleted)
                {
                    // Everything the invocation waits for is bounded by one budget: past it, it must answer.
                    harness.Time.Advance(harness.Budget);
                }

                var reply = await invoking.WaitAsync(TimeSpan.FromSeconds(30), TimeProvider.System);

                if (reply.Span.SequenceEqual(payload))
                {
                    Interlocked.Increment(ref echoed);
                }
                else
                {
                    AssertTheClaimWasAdded(payload, reply);
                    Interlocked.Increment(ref claimed);
                }

                Assert.All(harness.Logs.GetSnapshot(), r =>
                {
                    Assert.DoesNotContain("example.com", r.Message, StringComparison.Ordinal);
                    Assert.DoesNotContain("Alice", r.Message, StringComparison.Ordinal);
                    Assert.DoesNotContain("5555550100", r.Message, StringComparison.Ordinal);
                });
            },
            iter: Cases,
            threads: 1,
            print: c => c.ToString());

        // The generator reaches both outcomes (else the property above would prove little).
        Assert.True(claimed > 0, $"no case got the primary_sub claim ({echoed} echoed)");
        Assert.True(echoed > Cases / 2, $"only {echoed} cases echoed");
    }

    private static void AssertTheClaimWasAdded(byte[] payload, ReadOnlyMemory<byte> reply)
    {
        Assert.True(InvocationPayload.TryRead(payload, out var input, out var problem), $"an unreadable payload ({problem}) was not echoed");
        var @event = Assert.IsType<JsonObject>(input);
        Assert.NotEqual(CognitoTriggerShapes.PrimaryPool, @event["userPoolId"]?.GetValue<string>());
        Assert.StartsWith("TokenGeneration_", @event["triggerSource"]?.GetValue<string>(), StringComparison.Ordinal);

        var output = Assert.IsType<JsonObject>(JsonNode.Parse(reply.Span));
        Assert.Equal(@event.Select(p => p.Key).Where(k => k != "response").Order(), output.Select(p => p.Key).Where(k => k != "response").Order());
        foreach (var (key, value) in @event.Where(p => p.Key != "response"))
        {
            Assert.True(JsonNode.DeepEquals(value, output[key]), $"the reply changed '{key}'");
        }

        var version = @event["version"] is JsonValue v && v.TryGetValue<string>(out var text) ? text : null;
        var claims = version is "2" or "3"
            ? output["response"]?["claimsAndScopeOverrideDetails"]?["idTokenGeneration"]?["claimsToAddOrOverride"]
            : output["response"]?["claimsOverrideDetails"]?["claimsToAddOrOverride"];
        // The claim is the user's custom:primary_sub attribute or the recorded mapping: an original sub either way.
        var claim = claims?["primary_sub"]?.GetValue<string>();
        var attribute = @event["request"]?["userAttributes"]?["custom:primary_sub"] is JsonValue a && a.TryGetValue<string>(out var s) ? s : null;
        Assert.True(claim == CognitoTriggerShapes.PrimarySub || claim == attribute, "the claim is neither the attribute nor the mapping");
        Assert.True(Guid.TryParseExact(claim, "D", out _), "the claim is not a sub");
    }

    internal static FunctionHarness Harness(StoreBehaviour stores, bool afterFailover)
    {
        IReplicaStateStore mappings;
        IReplicationControlStore? control = null;
        if (afterFailover)
        {
            control = Substitute.For<IReplicationControlStore>();
            control.GetAsync(default).ReturnsForAnyArgs(Answer<ReplicationControl?>(stores, new ReplicationControl
            {
                Epoch = 1,
                SourceRegion = "us-west-2",
                SourcePoolId = CognitoTriggerShapes.StandbyPool,
                TargetRegion = "us-east-1",
                TargetPoolId = CognitoTriggerShapes.PrimaryPool,
            }));
        }

        if (stores == StoreBehaviour.Answer)
        {
            var state = new InMemoryReplicaState();
            state.PutSubMappingAsync(CognitoTriggerShapes.StandbyPool, CognitoTriggerShapes.StandbySub, new SubMapping("alice", CognitoTriggerShapes.PrimarySub, CognitoTriggerShapes.PrimarySub), CancellationToken.None).GetAwaiter().GetResult();
            mappings = state;
        }
        else
        {
            mappings = Substitute.For<IReplicaStateStore>();
            mappings.GetSubMappingAsync(default!, default!, default).ReturnsForAnyArgs(Answer<SubMapping?>(stores, null));
        }

        var harness = new FunctionHarness(mappings: mappings, control: control);
        harness.Mirror.RecordUserAsync(default!, default).ReturnsForAnyArgs(Answer(stores, RecordOutcome.Changed));
        harness.Hints.EnqueueAsync(default!, default).ReturnsForAnyArgs(stores switch
        {
            StoreBehaviour.Answer => Task.CompletedTask,
            StoreBehaviour.Fail => Task.FromException(new MirrorStoreException("Mirror table 'mirror' failed")),
            _ => new TaskCompletionSource().Task,
        });
        return harness;
    }

    private static Task<T> Answer<T>(StoreBehaviour behaviour, T value) => behaviour switch
    {
        StoreBehaviour.Answer => Task.FromResult(value),
        StoreBehaviour.Fail => Task.FromException<T>(new MirrorStoreException("Mirror table 'mirror' failed")),
        _ => new TaskCompletionSource<T>().Task,
    };
}
