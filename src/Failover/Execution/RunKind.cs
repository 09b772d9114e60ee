using IdentityReplicator.Core.Configuration;
using IdentityReplicator.Failover.Plans;

namespace IdentityReplicator.Failover.Execution;

/// <summary>
/// What a run does: a <see cref="Drill"/> fails a drill environment over to the standby, <see cref="Execute"/> fails
/// over for real, <see cref="Failback"/> returns to the primary. <see cref="RunKinds"/> holds the rules of each.
/// </summary>
public enum RunKind
{
    Drill,
    Execute,
    Failback,
}

/// <summary>
/// The rules of each <see cref="RunKind"/>: its name, the side it moves the application to, which kinds need the plan's
/// environment name typed out (<c>--confirm</c>), what a drill environment is, and what the confirmation must match.
/// A resume carries on a run of its recorded kind and asks for nothing again: the run was authorized when it started.
/// </summary>
public static class RunKinds
{
    public static IReadOnlyList<RunKind> All { get; } = [RunKind.Drill, RunKind.Execute, RunKind.Failback];

    /// <summary>The kind's word in the journal, the reports and the command line: <c>drill</c>, <c>execute</c>, <c>failback</c>.</summary>
    public static string Name(this RunKind kind) => kind switch
    {
        RunKind.Drill => "drill",
        RunKind.Execute => "execute",
        RunKind.Failback => "failback",
        _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, "Not a run kind."),
    };

    /// <summary>The side a run of this kind makes the active one: the standby for a drill or an execution, the primary for a failback.</summary>
    public static PoolRole To(this RunKind kind) => kind == RunKind.Failback ? PoolRole.Primary : PoolRole.Standby;

    /// <summary>Whether the kind's command takes <c>--confirm</c> at all: a drill never runs outside a drill environment, so it has none.</summary>
    public static bool TakesConfirmation(this RunKind kind) => kind != RunKind.Drill;

    /// <summary>
    /// Whether a run of this kind on <paramref name="plan"/> needs the confirmation: an execution always (even of a
    /// drill environment), a failback unless the plan is a drill environment, a drill never.
    /// </summary>
    public static bool NeedsConfirmation(this RunKind kind, FailoverPlan plan) =>
        kind == RunKind.Execute || (kind == RunKind.Failback && !plan.Drill);

    /// <summary>Whether <paramref name="confirmation"/> confirms a run on <paramref name="plan"/>: the plan's environment name, exactly.</summary>
    public static bool IsConfirmedBy(this FailoverPlan plan, string? confirmation) =>
        string.Equals(confirmation, plan.Environment, StringComparison.Ordinal);

    /// <summary>
    /// Refuses a run of <paramref name="kind"/> on <paramref name="plan"/> that its rules do not allow, saying what to
    /// do: a drill of a plan without <c>drill: true</c>, or a run that needs the confirmation without it.
    /// </summary>
    /// <exception cref="FailoverException">The run may not start.</exception>
    public static void Authorize(this RunKind kind, FailoverPlan plan, string? confirmation)
    {
        if (kind == RunKind.Drill && !plan.Drill)
        {
            throw new FailoverException($"Environment '{plan.Environment}' is not a drill environment (the plan has no 'drill: true'); to fail over for real run 'idrep failover execute --confirm {plan.Environment}'.");
        }

        if (kind.NeedsConfirmation(plan) && !plan.IsConfirmedBy(confirmation))
        {
            throw new FailoverException($"'{kind.Name()}' changes production: add --confirm {plan.Environment} (the plan's environment name) to go ahead.");
        }
    }
}
