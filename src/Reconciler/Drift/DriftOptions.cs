using IdentityReplicator.Core.Scheduling;

namespace IdentityReplicator.Reconciler.Drift;

/// <summary>Scheduled drift reports run by the worker (section <c>Drift</c>).</summary>
public sealed class DriftOptions
{
    public const string Section = "Drift";

    /// <summary>When the worker runs a drift report: a cron expression in UTC (e.g. <c>0 3 * * *</c>); empty = never.</summary>
    public string? Schedule { get; set; }

    /// <summary>Repair what the scheduled report finds, through the apply engine.</summary>
    public bool Repair { get; set; }

    /// <summary>Publish a <c>DriftReportCompleted</c> summary event to EventBridge after each scheduled report.</summary>
    public bool PublishEvents { get; set; } = true;

    /// <summary>A folder to write each scheduled report into (JSON and HTML); empty = none.</summary>
    public string? OutputDirectory { get; set; }

    public IEnumerable<string> Validate() => RunSchedule.Validate($"{Section}:Schedule", Schedule);
}
