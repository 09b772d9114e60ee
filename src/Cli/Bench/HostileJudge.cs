using System.Net;
using IdentityReplicator.Core.Mirror;
using IdentityReplicator.Core.Model;
using IdentityReplicator.Sandbox.EventBridge;

namespace IdentityReplicator.Cli.Bench;

/// <summary>
/// What the hostile stream did: how many deliveries were made, how many of them the Replicator itself counted as
/// rejected (<see cref="HostileOutcomes"/>), and every rule one of them broke.
/// </summary>
internal sealed record HostileTally(int Delivered, long Rejected, IReadOnlyList<string> Failures, IReadOnlyDictionary<string, long> Outcomes)
{
    public static HostileTally None { get; } = new(0, 0, [], new Dictionary<string, long>());

    public int FailureCount => Failures.Count;
}

/// <summary>
/// The rules every hostile delivery must keep, each returning what was broken (<c>null</c> or empty when nothing):
/// an event is taken without a function error (an error makes EventBridge and Lambda deliver it again); a trigger
/// invocation answers 200, without a function error, with the very bytes it was sent; and no mirror item exists for
/// a user or group the application never made (hostile input names only such identities).
/// </summary>
internal static class HostileJudge
{
    public static string? Event(HostileKind kind, DeliveryReport report) => report switch
    {
        { Targets: 0 } => $"{kind}: no rule of the event bus took it, so it tested nothing",
        { Undelivered: > 0 } => $"{kind}: capture failed every attempt ({report.FailedAttempts}); EventBridge would dead-letter it and raise UndeliveredEvents",
        { FailedAttempts: > 0 } => $"{kind}: capture failed {report.FailedAttempts} attempt(s) with a function error, so it was delivered again",
        _ => null,
    };

    public static string? Trigger(HostileKind kind, HttpStatusCode status, string? functionError, ReadOnlySpan<byte> sent, ReadOnlySpan<byte> answered)
    {
        if (status != HttpStatusCode.OK)
        {
            return $"{kind}: the Invoke API answered {(int)status} (the sign-up or sign-in would fail)";
        }

        if (functionError is not null)
        {
            return $"{kind}: the function failed ({functionError}), so Cognito would fail the sign-up or sign-in";
        }

        return sent.SequenceEqual(answered)
            ? null
            : $"{kind}: the function answered {answered.Length} bytes that are not the {sent.Length} it was sent";
    }

    /// <summary>
    /// Mirror items — snapshots or tombstones — of users whose key is none of <paramref name="usernames"/>', and of
    /// groups not in <paramref name="groups"/>: written because of hostile input. Named by fingerprint.
    /// </summary>
    public static IReadOnlyList<string> ForeignItems(MirrorContents mirror, IEnumerable<string> usernames, bool caseSensitive, IEnumerable<string> groups)
    {
        var keys = usernames.Select(u => IdentityKeys.ForUsername(u, caseSensitive)).ToHashSet(StringComparer.Ordinal);
        var known = groups.ToHashSet(StringComparer.Ordinal);
        return
        [
            .. mirror.Users.Where(u => !keys.Contains(u.Key)).Select(u =>
                $"the mirror holds {(u.Value.Deleted ? "a tombstone" : "a snapshot")} from {u.Value.ChangeSource} for user {IdentityKeys.Fingerprint(u.Key)}, whom the application never created"),
            .. mirror.Groups.Where(g => !known.Contains(g.Key)).Select(g =>
                $"the mirror holds {(g.Value.Deleted ? "a tombstone" : "a snapshot")} for group {IdentityKeys.Fingerprint(g.Key)}, which the application never created"),
        ];
    }
}
