using Amazon.CDK;
using Amazon.CDK.AWS.CloudWatch;
using Amazon.CDK.AWS.CloudWatch.Actions;
using Amazon.CDK.AWS.ElasticLoadBalancingV2;
using Amazon.CDK.AWS.Logs;
using Amazon.CDK.AWS.SNS;
using Amazon.CDK.AWS.SNS.Subscriptions;
using Constructs;
using IdentityReplicator.Core.Telemetry;

namespace IdentityReplicator.Cdk.Constructs;

/// <summary>
/// The worker's metrics as the EMF exporter writes them (<see cref="CloudWatchMetricNames"/>, docs/observability.md;
/// a test checks these names against it), and what the Replicator function's logs are counted into.
/// </summary>
internal static class MetricNames
{
    public const string Namespace = WorkerService.MetricsNamespace;
    public const string ReplicationLag = "ReplicationLag";
    public const string FeedBehind = "FeedBehind";
    public const string ParkedNow = "ParkedNow";
    public const string Applied = "Applied";
    public const string Throttled = "Throttled";
    public const string DriftDifferences = "DriftDifferences";
    public const string DriftRuns = "DriftRuns";
    public const string TriggerCaptureFailed = "TriggerCaptureFailed";
    public const string NativeReplicationLag = "NativeReplicationLag";

    /// <summary>The Replicator's log event for a trigger whose capture failed (src/Replicator/Log.cs, EventId 1004).</summary>
    public const int CaptureFailedEventId = 1004;
}

internal sealed class MonitoringProps
{
    public required ReplicatorFunction Replicator { get; init; }

    public required WorkerService Worker { get; init; }

    /// <summary>Whether this Region's worker is the one expected to run (alarms on its silence).</summary>
    public bool WorkerActive { get; init; }

    public string? AlarmEmail { get; init; }

    /// <summary>This Region's token relay, when deployed: alarms on its health.</summary>
    public TokenRelayService? Relay { get; init; }

    /// <summary>Native mode: the canary lag p99 (ms) to alarm above, in place of the change feed's alarms; null otherwise.</summary>
    public int? NativeLagAlarmMs { get; init; }
}

/// <summary>
/// Alarms (to an SNS topic) and a dashboard for one Region: replication lag, backlog, parked users, drift, trigger
/// errors, throttles; the native replica's canary lag in native mode; the token relay's health where it runs.
/// </summary>
internal sealed class Monitoring : Construct
{
    public Monitoring(Construct scope, string id, MonitoringProps props)
        : base(scope, id)
    {
        var stack = Stack.Of(this);
        Topic = new Topic(this, "Alarms", new TopicProps { DisplayName = "IdentityReplicator alarms" });
        if (props.AlarmEmail is { } email)
        {
            Topic.AddSubscription(new EmailSubscription(email));
        }

        var function = props.Replicator.Function;
        var failedCaptures = new MetricFilter(this, "CaptureFailures", new MetricFilterProps
        {
            LogGroup = function.LogGroup,
            FilterPattern = FilterPattern.NumberValue("$.EventId", "=", MetricNames.CaptureFailedEventId),
            MetricNamespace = MetricNames.Namespace,
            MetricName = MetricNames.TriggerCaptureFailed,
            MetricValue = "1",
            DefaultValue = 0,
        }).Metric(new MetricOptions { Statistic = "Sum", Period = Duration.Minutes(5) });

        var fiveMinutes = Duration.Minutes(5);
        var functionErrors = function.MetricErrors(new MetricOptions { Period = fiveMinutes, Statistic = "Sum" });
        var functionThrottles = function.MetricThrottles(new MetricOptions { Period = fiveMinutes, Statistic = "Sum" });
        var undelivered = props.Replicator.Failures.MetricApproximateNumberOfMessagesVisible(new MetricOptions { Period = fiveMinutes, Statistic = "Maximum" });

        var lagP99 = Worker(MetricNames.ReplicationLag, "p99", Duration.Minutes(1));
        var feedBehind = Worker(MetricNames.FeedBehind, "Maximum", Duration.Minutes(1));
        var parked = Worker(MetricNames.ParkedNow, "Maximum", fiveMinutes);
        var applied = Worker(MetricNames.Applied, "Sum", Duration.Minutes(1));
        var throttled = Worker(MetricNames.Throttled, "Sum", fiveMinutes);
        var drift = Worker(MetricNames.DriftDifferences, "Maximum", Duration.Hours(1));
        var driftRuns = Worker(MetricNames.DriftRuns, "Sum", Duration.Days(1));

        Alarm("FunctionErrors", functionErrors, 0, "The Replicator function failed (a trigger or an event); see its log group.");
        Alarm("FunctionThrottled", functionThrottles, 0, "The Replicator function hit its reserved concurrency; raise reservedConcurrency. Throttled triggers fail sign-ups and sign-ins.");
        Alarm("TriggerCaptureFailed", failedCaptures, 0, "A trigger's capture failed; the change is left for the sweep or drift repair.");
        Alarm("UndeliveredEvents", undelivered, 0, "Events the function could not handle are in the failures queue; run 'idrep drift --repair' after fixing the cause, then purge the queue.");
        Alarm("Throttled", throttled, 100, "More than 100 Cognito calls throttled in 5 minutes; another client shares the quotas, or Quotas:*:Share is too high.");
        Alarm("Parked", parked, 0, "Users or groups are parked (the standby rejected them); see 'idrep drift' for the reason.");
        Alarm("Drift", drift, 0, "The last drift report found differences; read it in the reports bucket.");
        if (props.WorkerActive && props.NativeLagAlarmMs is { } nativeLag)
        {
            // Native mode: Cognito copies the users and the worker follows no feed; its canary measures the replica. A
            // canary that stops arriving (replica stalled, writes refused, worker down) is silence: missing data breaches.
            Alarm(
                "NativeReplicationLagHigh",
                Worker(MetricNames.NativeReplicationLag, "p99", Duration.Minutes(1)),
                nativeLag,
                $"The native replica's canary lag p99 is above {nativeLag} ms, or no canary arrived (see 'idrep status' and the worker's log group).",
                evaluationPeriods: 5,
                missing: TreatMissingData.BREACHING);
        }
        else if (props.WorkerActive)
        {
            // Silence is the worker being down: missing data breaches.
            Alarm("ReplicationBehind", feedBehind, 300, "The worker is more than 5 minutes behind the change feed, or not running.", evaluationPeriods: 5, missing: TreatMissingData.BREACHING);
            Alarm("ReplicationLagHigh", lagP99, 60_000, "Replication lag p99 is above 60 s.", evaluationPeriods: 5);

            // The scheduled report runs daily by default; a day without one is a failed or unscheduled task.
            Alarm("DriftReportMissing", driftRuns, 1, "No drift report completed in the last day; see the worker log group's 'drift' streams.", missing: TreatMissingData.BREACHING, comparison: ComparisonOperator.LESS_THAN_THRESHOLD);
        }

        if (props.Relay is { } relay)
        {
            // The target group's healthy tasks are what this Region's failover record evaluates: none, and Route 53 sends
            // M2M callers to the other Region (or, both down, nowhere). Silence is a balancer without targets: breaching.
            Alarm(
                "RelayUnhealthy",
                relay.Targets.Metrics.HealthyHostCount(new MetricOptions { Period = Duration.Minutes(1), Statistic = "Minimum" }),
                1,
                "No healthy token relay task behind this Region's load balancer; see the relay service's events and log group.",
                evaluationPeriods: 3,
                missing: TreatMissingData.BREACHING,
                comparison: ComparisonOperator.LESS_THAN_THRESHOLD);

            // The balancer's own 5xx (502/503/504: a task that failed or timed out, none registered); Cognito's own errors
            // pass through the relay unchanged and are the callers' concern, not counted here.
            Alarm(
                "RelayErrors",
                relay.Balancer.Metrics.HttpCodeElb(HttpCodeElb.ELB_5XX_COUNT, new MetricOptions { Period = fiveMinutes, Statistic = "Sum" }),
                5,
                "The token relay's load balancer answered more than 5 errors (5xx) in 5 minutes; see the relay's log group and target health.");
        }

        Dashboard = new Dashboard(this, "Dashboard", new DashboardProps
        {
            DashboardName = $"IdentityReplicator-{stack.Region}",
            Widgets =
            [
                [
                    Graph("Replication lag (ms)", lagP99, Worker(MetricNames.ReplicationLag, "p50", Duration.Minutes(1))),
                    Graph("Feed backlog (s behind)", feedBehind),
                    Graph("Applied / parked", applied, parked),
                ],
                [
                    Graph("Replicator function", function.MetricInvocations(new MetricOptions { Period = fiveMinutes, Statistic = "Sum" }), functionErrors, functionThrottles),
                    Graph("Trigger capture failures / undelivered events", failedCaptures, undelivered),
                    Graph("Cognito throttles / drift differences", throttled, drift),
                ],
            ],
        });

        Metric Worker(string name, string statistic, Duration period) => new(new MetricProps
        {
            Namespace = MetricNames.Namespace,
            MetricName = name,
            DimensionsMap = new Dictionary<string, string> { [CloudWatchMetricNames.ServiceDimension] = CloudWatchMetricNames.WorkerService },
            Statistic = statistic,
            Period = period,
        });

        void Alarm(string name, IMetric metric, double threshold, string description, int evaluationPeriods = 1, TreatMissingData? missing = null, ComparisonOperator comparison = ComparisonOperator.GREATER_THAN_THRESHOLD)
        {
            var alarm = new Alarm(this, name, new AlarmProps
            {
                AlarmDescription = description,
                Metric = metric,
                Threshold = threshold,
                ComparisonOperator = comparison,
                EvaluationPeriods = evaluationPeriods,
                TreatMissingData = missing ?? TreatMissingData.NOT_BREACHING,
            });
            alarm.AddAlarmAction(new SnsAction(Topic));
        }

        static GraphWidget Graph(string title, params IMetric[] metrics) => new(new GraphWidgetProps { Title = title, Left = metrics, Width = 8 });
    }

    public Topic Topic { get; }

    public Dashboard Dashboard { get; }
}
