using System.Collections.Concurrent;

namespace IdentityReplicator.Failover.Native;

/// <summary>
/// The monitoring users' passwords of one run in native mode, in memory only. A secondary refuses AdminSetUserPassword,
/// so the password is set in the primary Region and reaches the secondary with replication's delay; setting a fresh one
/// on every verify attempt would outrun the copy for ever. Once an attempt has set a password, later attempts reuse it
/// and only sign in.
/// </summary>
internal sealed class NativeJourneyPasswords
{
    private readonly ConcurrentDictionary<string, string> _passwords = new(StringComparer.Ordinal);

    /// <summary>The password an earlier attempt of this run set for <paramref name="username"/>; null: none yet.</summary>
    public string? Known(string username) => _passwords.GetValueOrDefault(username);

    /// <summary>The primary accepted <paramref name="password"/> for <paramref name="username"/>.</summary>
    public void Remember(string username, string password) => _passwords[username] = password;
}
