using System.ComponentModel;
using System.Diagnostics;
using System.Globalization;
using System.Security.Cryptography;

namespace IdentityReplicator.Reconciler.Apply;

/// <summary>
/// Who an apply engine is when it holds apply leases, and which other holders it knows to be dead. A holder id names
/// its slot — the host and the process-id namespace it runs in, where one process can see whether another lives —
/// and its incarnation there: process id, process start time and a random part
/// (<c>host@pid:[4026531836]/4242/1796646000123/0a1b2c3d4e5f</c>). A worker restarted in the same slot (the same
/// container, host or shell) finds its dead predecessor's leases and takes them over at once; a lease held by a live
/// process, or by a process in another slot it cannot see, still fences until it runs out. See
/// docs/design/decisions.md.
/// </summary>
public sealed class ApplyLeaseHolder
{
    private readonly Func<string, bool> _isGone;

    /// <param name="id">This engine's holder id.</param>
    /// <param name="isGone">Whether another holder is known to be dead; <c>false</c> when it lives or cannot be told.</param>
    public ApplyLeaseHolder(string id, Func<string, bool> isGone)
    {
        Id = id;
        _isGone = isGone;
    }

    /// <summary>This holder's id, stored as the lease's holder.</summary>
    public string Id { get; }

    /// <summary>A new holder of this process: its own random part, so two engines in one process never share an id.</summary>
    public static ApplyLeaseHolder ForThisProcess() => new(ProcessIncarnations.NewHolderId(), ProcessIncarnations.IsGone);

    /// <summary>Whether <paramref name="holder"/> (another holder's id) is known to be dead, so its leases may be taken over at once.</summary>
    public bool IsGone(string holder) => !string.Equals(holder, Id, StringComparison.Ordinal) && _isGone(holder);
}

/// <summary>
/// Holder ids of this machine's processes, and whether the process a holder id names is gone: it is when its slot is
/// this process's slot and no process has its id, or the one that has it started at another time (the id was reused,
/// as a restarted container's process 1 reuses its predecessor's). Anything else — another slot, a slot that cannot be
/// told, a process that cannot be read — counts as alive.
/// </summary>
internal static class ProcessIncarnations
{
    private static readonly TimeSpan StartTolerance = TimeSpan.FromSeconds(1);

    /// <summary>This process's slot: the host name and the process-id namespace; <c>null</c> when the namespace cannot be read.</summary>
    public static string? Slot { get; } = ReadSlot();

    public static string NewHolderId()
    {
        using var self = Process.GetCurrentProcess();
        return HolderIdOf(Slot ?? $"{Environment.MachineName}@?", self.Id, self.StartTime);
    }

    /// <summary>The holder id a process in <paramref name="slot"/> would have (tests make the ids of processes they start).</summary>
    public static string HolderIdOf(string slot, int processId, DateTime startTime) => string.Create(
        CultureInfo.InvariantCulture,
        $"{slot}/{processId}/{new DateTimeOffset(startTime.ToUniversalTime(), TimeSpan.Zero).ToUnixTimeMilliseconds()}/{Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(6))}");

    public static bool IsGone(string holder)
    {
        var parts = holder.Split('/');
        if (Slot is null || parts.Length < 4
            || !string.Equals(string.Join('/', parts[..^3]), Slot, StringComparison.Ordinal)
            || !int.TryParse(parts[^3], NumberStyles.None, CultureInfo.InvariantCulture, out var processId)
            || !long.TryParse(parts[^2], NumberStyles.None, CultureInfo.InvariantCulture, out var startMs))
        {
            return false;
        }

        try
        {
            using var process = Process.GetProcessById(processId);
            var started = new DateTimeOffset(process.StartTime.ToUniversalTime(), TimeSpan.Zero);
            return (started - DateTimeOffset.FromUnixTimeMilliseconds(startMs)).Duration() > StartTolerance;
        }
        catch (ArgumentException)
        {
            return true; // no process has that id
        }
        catch (InvalidOperationException)
        {
            return true; // it exited while being read
        }
        catch (Win32Exception)
        {
            return false; // cannot be read: count it as alive
        }
        catch (NotSupportedException)
        {
            return false;
        }
    }

    private static string? ReadSlot()
    {
        try
        {
            // The process-id namespace: processes in another one (another container) cannot be seen, so their leases
            // are never judged from here.
            return new FileInfo("/proc/self/ns/pid").LinkTarget is { Length: > 0 } ns ? $"{Environment.MachineName}@{ns}" : null;
        }
        catch (IOException)
        {
            return null;
        }
        catch (UnauthorizedAccessException)
        {
            return null;
        }
    }
}
