using System.Security.Cryptography;
using System.Text.Json.Nodes;
using IdentityReplicator.Core.Configuration;
using IdentityReplicator.Core.Pools;
using Microsoft.Extensions.Logging;

namespace IdentityReplicator.Replicator.Native;

/// <summary>
/// The canary of a Cognito native replica: one user of the primary whose custom attribute carries the time it was
/// written (<see cref="WriteAsync"/>), read at the secondary Region's endpoint of the same pool id (<see cref="ReadAsync"/>);
/// the <see cref="NativeLagMonitor"/> turns the two into the replica's lag. <see cref="PrepareAsync"/> makes what the
/// canary needs once: the attribute in the primary's schema (a mutable string) and the user (created without a message,
/// then disabled: nobody signs in as it). Each call is idempotent, so a restarted worker picks up the same user.
/// </summary>
public sealed class NativeCanary(
    IUserDirectory primary,
    IUserDirectory secondary,
    Func<JsonArray, CancellationToken, Task> addCustomAttributes,
    NativeReplicationOptions options,
    NativeLagMonitor monitor,
    TimeProvider time,
    ILogger<NativeCanary> logger)
{
    private string? _username;
    private string? _lookup;

    public NativeLagMonitor Monitor => monitor;

    /// <summary>Adds the canary attribute to the primary's schema when missing, and finds or creates the canary user.</summary>
    public async Task PrepareAsync(CancellationToken cancellationToken)
    {
        var pool = await primary.DescribeAsync(cancellationToken);
        if (!pool.Schema.ContainsKey(options.CanaryAttribute))
        {
            await addCustomAttributes(
                [new JsonObject
                {
                    ["Name"] = options.CanaryAttribute["custom:".Length..],
                    ["AttributeDataType"] = "String",
                    ["Mutable"] = true,
                    ["StringAttributeConstraints"] = new JsonObject { ["MinLength"] = "0", ["MaxLength"] = "32" },
                }],
                cancellationToken);
            Log.CanaryAttributeAdded(logger, pool.PoolId, options.CanaryAttribute);
        }

        var byEmail = pool.UsernameAttributes.Contains("email", StringComparer.Ordinal);
        if (pool.SignsInByAlias && !byEmail)
        {
            throw new NativeCanaryException(
                $"User pool {pool.PoolId} signs in by phone number only; the canary needs an email or a username. Run native mode's canary on a pool that signs in by username or email, or leave Replication:Mode at 'replicator'.");
        }

        var lookup = byEmail ? options.CanaryEmail : options.CanaryUsername;
        var user = await primary.FindUserAsync(lookup, cancellationToken);
        if (user is null)
        {
            var attributes = new Dictionary<string, string>(StringComparer.Ordinal) { [options.CanaryAttribute] = "0" };
            if (byEmail)
            {
                attributes["email"] = options.CanaryEmail;
            }

            user = await primary.CreateUserAsync(lookup, attributes, UnguessablePassword(pool.MinimumPasswordLength), cancellationToken);
            await primary.SetEnabledAsync(user.Username, false, cancellationToken);
            Log.CanaryUserCreated(logger, pool.PoolId);
        }

        _username = user.Username;
        _lookup = lookup;
    }

    /// <summary>Writes the canary in the primary: the time just before the write, so a measured lag is never less than the true one.</summary>
    public async Task WriteAsync(CancellationToken cancellationToken)
    {
        var username = _username ?? throw new InvalidOperationException("PrepareAsync first.");
        var at = time.GetUtcNow();
        await primary.UpdateAttributesAsync(username, new Dictionary<string, string>(StringComparer.Ordinal) { [options.CanaryAttribute] = NativeLagMonitor.ValueOf(at) }, cancellationToken);
        monitor.Written(at);
    }

    /// <summary>Reads the canary at the secondary's endpoint; returns the lag of a value that arrived since the last read, else null.</summary>
    public async Task<TimeSpan?> ReadAsync(CancellationToken cancellationToken)
    {
        var lookup = _lookup ?? throw new InvalidOperationException("PrepareAsync first.");
        var user = await secondary.FindUserAsync(lookup, cancellationToken);
        var value = NativeLagMonitor.Parse(user?.Attributes.GetValueOrDefault(options.CanaryAttribute));
        var lag = value is { } written ? monitor.Seen(written) : null;
        if (lag is { } measured)
        {
            Log.CanaryArrived(logger, measured.TotalMilliseconds);
        }

        return lag;
    }

    /// <summary>A password nobody knows, of the pool's length, with every character class a policy may require.</summary>
    private static string UnguessablePassword(int minimumLength) =>
        "Aa1!" + Convert.ToBase64String(RandomNumberGenerator.GetBytes(Math.Max(minimumLength, 24)));
}

/// <summary>The canary cannot run on this pool; the message says why and what to do.</summary>
internal sealed class NativeCanaryException(string message, Exception? inner = null) : Exception(message, inner);
