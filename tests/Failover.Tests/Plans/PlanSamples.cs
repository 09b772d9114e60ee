using System.Text;
using IdentityReplicator.Failover.Plans;
using IdentityReplicator.Failover.Tests.Execution;

namespace IdentityReplicator.Failover.Tests.Plans;

/// <summary>Valid plans to start from (the docs example, the sandbox's, the fakes', a JSON one) and hostile files built from them.</summary>
internal static class PlanSamples
{
    /// <summary>The shape 'idrep sandbox up' writes (FailoverSandbox.Plan); Sandbox.Tests checks that the real one parses.</summary>
    public const string Sandbox = """
        # A failover plan for the local sandbox, written by 'idrep sandbox up'. See docs/failover-plan.md.
        version: 1
        environment: sandbox
        drill: true                       # drills need no --confirm here
        pools:
          primary:
            region: us-east-1
            userPoolId: local_4rXb0Mzh
            appClientId: 6nbv1kzq2c3b0s8hsmp1yzy4l
            endpoint: http://127.0.0.1:41231/
          standby:
            region: us-west-2
            userPoolId: local_1T0oqx2a
            appClientId: 9xe7b6a4j0m2r5t8w1y3z6c9d
            endpoint: http://127.0.0.1:41233/
        mirror:
          tableName: identity-replicator-mirror
          feedBuckets: 8
          endpoints:
            us-east-1: http://127.0.0.1:41235/
            us-west-2: http://127.0.0.1:41235/
        aws:                              # static keys: the sandbox only
          accessKeyId: local
          secretAccessKey: local
        endpoints:
          route53: http://127.0.0.1:41237/
          rds:
            us-east-1: http://127.0.0.1:41239/
            us-west-2: http://127.0.0.1:41239/
          ssm:
            us-east-1: http://127.0.0.1:41241/
            us-west-2: http://127.0.0.1:41241/
          cloudwatch:
            us-east-1: http://127.0.0.1:41243/
            us-west-2: http://127.0.0.1:41243/
          elasticbeanstalk:
            us-east-1: http://127.0.0.1:41247/
            us-west-2: http://127.0.0.1:41247/
        clientConfig:
          parameters:
            - name: /idrep-sandbox/app/user-pool-id
              values: { primary: "local_4rXb0Mzh", standby: "local_1T0oqx2a" }
            - name: /idrep-sandbox/app/client-id
              values: { primary: "6nbv1kzq2c3b0s8hsmp1yzy4l", standby: "9xe7b6a4j0m2r5t8w1y3z6c9d" }
            - name: /idrep-sandbox/app/region
              values: { primary: "us-east-1", standby: "us-west-2" }
            - name: /idrep-sandbox/app/cognito-endpoint
              values: { primary: "http://127.0.0.1:41231/", standby: "http://127.0.0.1:41233/" }
        dns:
          hostedZoneId: Z0SANDBOX0000000001
          records:
            - name: app.sandbox.idrep.test.
              type: CNAME
              ttl: 60
              values: { primary: app.us-east-1.sandbox.idrep.test, standby: app.us-west-2.sandbox.idrep.test }
        database:
          kind: globalCluster
          globalClusterId: idrep-sandbox-global
          clusters: { primary: app-east, standby: app-west }
          mode: planned                   # switchover, no data loss
        healthProbes:
          - name: application
            urls: { primary: http://127.0.0.1:41245/health/us-east-1, standby: http://127.0.0.1:41245/health/us-west-2 }
            route53HealthChecks: { primary: 0f8fad5b-d9cb-469f-a165-70867728950e, standby: 7c9e6679-7425-40de-944b-e07fc1f90ae7 }
        capacity:                         # the application tier: warm standby at 1, serving at 4
          tiers:
            - name: app
              kind: beanstalk
              application: idrep-sandbox-app
              resources: { primary: app-east-env, standby: app-west-env }
              active: 4
              warm: 1
              lowerAfterVerify: true
        signIn:
          username: monitor@sandbox.idrep.test
        preflight:
          maxReplicationLag: 30s
          maxDatabaseLag: 30s
          driftSample: 200
        timeouts:
          drain: 60s
          promotion: 60s
          dnsSync: 30s
          verify: 30s
          capacity: 60s
          pollInterval: 100ms
        """;

    public const string Json = """
        { "version": 1, "environment": "prod",
          "pools": { "primary": { "region": "us-east-1", "userPoolId": "us-east-1_A1", "appClientId": "a" },
                     "standby": { "region": "us-west-2", "userPoolId": "us-west-2_B2", "appClientId": "b" } },
          "preflight": { "excludeAttributes": ["custom:tier"] },
          "database": { "kind": "replicaInstance", "instances": { "primary": "db-east", "standby": "db-west" }, "mode": "unplanned" } }
        """;

    private static readonly Lazy<string> DocsYaml = new(ReadDocsExample);

    /// <summary>The commented example in docs/failover-plan.md.</summary>
    public static string DocsExample => DocsYaml.Value;

    public static IReadOnlyList<string> Valid => [FakeEnvironment.PlanText, DocsExample, Sandbox, Json];

    /// <summary>"Billion laughs": each level a list of <paramref name="width"/> aliases of the level before.</summary>
    public static string Laughs(int levels, int width = 10)
    {
        var text = new StringBuilder();
        text.Append("l0: &l0 [").AppendJoin(", ", Enumerable.Repeat("lol", width)).Append("]\n");
        for (var level = 1; level < levels; level++)
        {
            text.Append($"l{level}: &l{level} [").AppendJoin(", ", Enumerable.Repeat($"*l{level - 1}", width)).Append("]\n");
        }

        return text.ToString();
    }

    /// <summary><c>version: [[[…]]]</c>, <c>{a: {a: …}}</c> or <c>- - - …</c>, <paramref name="depth"/> levels deep.</summary>
    public static string Nested(string kind, int depth) => kind switch
    {
        "flow-list" => "version: " + new string('[', depth) + new string(']', depth) + "\n",
        "flow-map" => "version: " + string.Concat(Enumerable.Repeat("{a: ", depth)) + "1" + new string('}', depth) + "\n",
        "block-list" => "version:\n  " + string.Concat(Enumerable.Repeat("- ", depth)) + "1\n",
        "unclosed" => "version: " + new string('[', depth) + "\n",
        _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, "flow-list, flow-map, block-list or unclosed"),
    };

    private static string ReadDocsExample()
    {
        var root = new DirectoryInfo(AppContext.BaseDirectory);
        while (root is not null && !File.Exists(Path.Combine(root.FullName, "IdentityReplicator.sln")))
        {
            root = root.Parent;
        }

        var markdown = File.ReadAllText(Path.Combine(root!.FullName, "docs", "failover-plan.md"));
        var start = markdown.IndexOf("```yaml\n", StringComparison.Ordinal) + "```yaml\n".Length;
        return markdown[start..markdown.IndexOf("```", start, StringComparison.Ordinal)];
    }
}

/// <summary>The outcome of reading one plan on a thread of its own, with the processor time and memory it took.</summary>
internal sealed record BoundedParse(FailoverPlan? Plan, Exception? Error, TimeSpan ProcessorTime, long AllocatedBytes)
{
    /// <summary>Any plan file is accepted or rejected within this much processor time …</summary>
    public static readonly TimeSpan TimeBudget = TimeSpan.FromSeconds(1);

    /// <summary>… and this much memory.</summary>
    public const long MemoryBudget = 100L * 1024 * 1024;

    /// <summary>A reader still busy after this long (on the clock, however loaded the machine) hangs.</summary>
    private static readonly TimeSpan HangAfter = TimeSpan.FromSeconds(30);

    private static readonly Lazy<bool> WarmedUp = new(() => PlanReader.Parse(FakeEnvironment.PlanText) is not null);

    /// <summary>
    /// Parses <paramref name="text"/> on a new thread with a small stack (so deep recursion shows at once). The budget
    /// is the thread's own processor time, so that a machine busy with other work does not fail the test; the code is
    /// compiled first, so it measures the input, not the JIT.
    /// </summary>
    public static BoundedParse Run(string text, string file = "/plans/hostile.yaml")
    {
        _ = WarmedUp.Value;
        BoundedParse? outcome = null;
        var thread = new Thread(
            () =>
            {
                var started = ThreadTime.Now();
                var before = GC.GetAllocatedBytesForCurrentThread();
                FailoverPlan? plan = null;
                Exception? error = null;
                try
                {
                    plan = PlanReader.Parse(text, file);
                }
                catch (Exception e)
                {
                    error = e;
                }

                outcome = new BoundedParse(plan, error, ThreadTime.Now() - started, GC.GetAllocatedBytesForCurrentThread() - before);
            },
            maxStackSize: 512 * 1024)
        {
            IsBackground = true,
        };
        thread.Start();
        Assert.True(thread.Join(HangAfter), $"The plan reader had not decided after {HangAfter.TotalSeconds} s ({text.Length} characters).");
        Assert.True(outcome!.ProcessorTime < TimeBudget, $"The plan reader took {outcome.ProcessorTime.TotalMilliseconds:0} ms of processor time (budget {TimeBudget.TotalMilliseconds:0} ms) for {text.Length} characters.");
        Assert.True(outcome.AllocatedBytes < MemoryBudget, $"The plan reader allocated {outcome.AllocatedBytes / (1024 * 1024)} MiB (budget {MemoryBudget / (1024 * 1024)} MiB).");
        return outcome;
    }

    /// <summary>The plan exception; fails the test for an accepted plan or any other exception.</summary>
    public PlanException Rejection()
    {
        Assert.Null(Plan);
        return Assert.IsType<PlanException>(Error);
    }

    /// <summary>The current thread's processor time: Linux's per-thread scheduler statistics, else the clock.</summary>
    private static class ThreadTime
    {
        private const string SchedulerStatistics = "/proc/thread-self/schedstat";

        private static readonly bool Available = File.Exists(SchedulerStatistics);

        public static TimeSpan Now()
        {
            if (!Available)
            {
                return TimeProvider.System.GetElapsedTime(0);
            }

            var nanoseconds = long.Parse(File.ReadAllText(SchedulerStatistics).Split(' ')[0], System.Globalization.CultureInfo.InvariantCulture);
            return TimeSpan.FromTicks(nanoseconds / 100);
        }
    }
}
