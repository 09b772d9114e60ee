using System.Globalization;

namespace IdentityReplicator.Sandbox.Emulators;

/// <summary>
/// Which process listens on a 127.0.0.1 port, where the system says so (Linux: <c>/proc/net/tcp</c> names the listening
/// socket's inode, <c>/proc/&lt;pid&gt;/fd</c> the sockets a process holds). It tells an emulator that answers on its port
/// from another of the same kind that took the port first (both answer the probe alike).
/// </summary>
internal static class PortOwner
{
    private const string Listen = "0A";

    /// <summary>True or false when the system can tell whether <paramref name="processId"/> listens on the port; null when it cannot.</summary>
    public static bool? Listens(int processId, int port)
    {
        if (!OperatingSystem.IsLinux() || !File.Exists("/proc/net/tcp"))
        {
            return null;
        }

        try
        {
            var inodes = ListeningInodes(port);
            if (inodes.Count == 0)
            {
                return false;
            }

            foreach (var descriptor in Directory.EnumerateFiles($"/proc/{processId}/fd"))
            {
                var target = new FileInfo(descriptor).LinkTarget;
                if (target is not null && target.StartsWith("socket:[", StringComparison.Ordinal) && inodes.Contains(target["socket:[".Length..^1]))
                {
                    return true;
                }
            }

            return false;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // The process is gone (its /proc folder with it), or its descriptors are not ours to read.
            return Directory.Exists($"/proc/{processId}") ? null : false;
        }
    }

    private static HashSet<string> ListeningInodes(int port)
    {
        var local = "0100007F:" + port.ToString("X4", CultureInfo.InvariantCulture);
        var inodes = new HashSet<string>(StringComparer.Ordinal);
        foreach (var line in File.ReadLines("/proc/net/tcp").Skip(1))
        {
            var fields = line.Split(' ', StringSplitOptions.RemoveEmptyEntries);
            if (fields.Length > 9 && fields[1] == local && fields[3] == Listen)
            {
                inodes.Add(fields[9]);
            }
        }

        return inodes;
    }
}
