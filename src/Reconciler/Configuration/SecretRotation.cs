using System.Collections.Immutable;
using System.Globalization;
using System.Security.Cryptography;
using IdentityReplicator.Core.Aws;
using IdentityReplicator.Core.Configuration;
using IdentityReplicator.Core.Mirror;
using IdentityReplicator.Core.PoolConfiguration;
using Microsoft.Extensions.Logging;

namespace IdentityReplicator.Reconciler.Configuration;

/// <summary>One pool's side of a rotation: the client of that name there and the secrets it holds now (ids and dates).</summary>
public sealed record RotationSide(string Role, string UserPoolId, string Region, string? ClientId, ImmutableArray<ClientSecretState> Secrets)
{
    /// <summary>The secret an operator deletes to free a slot: the oldest one.</summary>
    public ClientSecretState? Oldest => Secrets.OrderBy(s => s.CreatedAt ?? DateTimeOffset.MinValue).FirstOrDefault();
}

/// <summary>
/// What <c>idrep clients rotate-secret</c> would do: add one new secret to the client in each pool, in this order.
/// <see cref="Blockers"/> say why it cannot (a client missing or public, both secret slots taken) and what to do;
/// a rotation with blockers writes nothing.
/// </summary>
public sealed record SecretRotationPlan(string ClientName, ImmutableArray<RotationSide> Sides, ImmutableArray<string> Blockers)
{
    public bool CanApply => Blockers.IsEmpty;
}

/// <summary>How one pool came out of a rotation.</summary>
public enum RotationOutcome
{
    /// <summary>The new secret is active in this pool's client.</summary>
    Added,

    /// <summary>The pool refused the new secret; its client is as it was.</summary>
    Refused,

    /// <summary>Not tried, because an earlier pool refused; its client is as it was.</summary>
    NotTried,
}

/// <summary>One pool's result: the new secret's id there, or Cognito's error code and what to do (never its message: it could quote the secret).</summary>
public sealed record RotationResultSide(RotationSide Side, RotationOutcome Outcome, string? SecretId = null, string? Code = null, string? Fix = null);

/// <summary>
/// What a rotation did. <see cref="Fingerprint"/> names the new secret (keyed, see <see cref="SecretFingerprinter"/>);
/// its value went only to the handover. <see cref="NextSteps"/> says how to finish or undo a rotation that split the pools.
/// </summary>
public sealed record SecretRotationResult(string ClientName, string Fingerprint, ImmutableArray<RotationResultSide> Sides)
{
    public bool IsComplete => Sides.All(s => s.Outcome == RotationOutcome.Added);

    public ImmutableArray<string> NextSteps()
    {
        if (IsComplete)
        {
            return
            [
                $"both pools' client {ClientName} accept the new secret {Fingerprint} as well as the old one: give callers the new secret, then delete the old one in both pools (its ids: {string.Join(", ", Sides.Select(s => $"{s.Side.Role} {s.Side.Oldest?.SecretId ?? "-"}"))})",
            ];
        }

        var added = Sides.Where(s => s.Outcome == RotationOutcome.Added).ToList();
        var missing = Sides.Where(s => s.Outcome != RotationOutcome.Added).ToList();
        var steps = ImmutableArray.CreateBuilder<string>();
        steps.Add($"the pools are split: the new secret {Fingerprint} is active in {(added.Count == 0 ? "no pool" : string.Join(", ", added.Select(s => $"the {s.Side.Role} ({s.Side.UserPoolId}, secret id {s.SecretId})")))} and not in {string.Join(", ", missing.Select(s => $"the {s.Side.Role} ({s.Side.UserPoolId})"))}; the old secret still works everywhere, so give the new one to no caller yet");
        foreach (var side in missing.Where(s => s.Outcome == RotationOutcome.Refused))
        {
            steps.Add($"the {side.Side.Role} refused it ({side.Code}): {side.Fix}");
        }

        steps.Add($"to finish: add the same value (from the secret file) to {string.Join(" and ", missing.Select(s => $"the {s.Side.Role}'s client {s.Side.ClientId} (AddUserPoolClientSecret --user-pool-id {s.Side.UserPoolId} --client-id {s.Side.ClientId} --client-secret <the value>)"))}");
        if (added.Count > 0)
        {
            steps.Add($"to undo instead: {string.Join(" and ", added.Select(s => $"DeleteUserPoolClientSecret --user-pool-id {s.Side.UserPoolId} --client-id {s.Side.ClientId} --client-secret-id {s.SecretId}"))}, destroy the secret file, and run rotate-secret again");
        }

        return steps.ToImmutable();
    }
}

/// <summary>
/// Sets one new custom secret in the same-named client of both pools, so rotation never splits the Regions
/// (<c>idrep clients rotate-secret</c>). The value is drawn from a CSPRNG in Cognito's alphabet for
/// <c>AddUserPoolClientSecret.ClientSecret</c> (24–64 characters of <c>[\w+]</c>), handed to the caller's handover
/// (a file only the operator can read) before any pool gets it, and otherwise kept nowhere: not in logs, output or the
/// mirror. Nothing is deleted: when a client's two slots are taken, the plan names the old secret to delete first.
/// </summary>
/// <remarks>
/// With an <see cref="IRotatedSecretStore"/>, each pool that took the new secret gets its keyed fingerprint recorded by
/// secret id (the mirror's <c>SECRETS#</c> item), so the comparison — <c>idrep clients</c>, drift, the sweep — knows the
/// secret Cognito will never return, and shows <c>same</c> for it. A failed record is logged and the rotation stands.
/// </remarks>
public sealed class SecretRotation(
    IPoolConfigurationDirectory primary,
    IPoolConfigurationDirectory standby,
    ConfigurationReplicationOptions options,
    ILogger<SecretRotation> logger,
    IRotatedSecretStore? rotatedSecrets = null,
    TimeProvider? time = null)
{
    /// <summary>Cognito's longest custom secret.</summary>
    public const int SecretLength = 64;

    /// <summary>Letters and digits: inside Cognito's <c>[\w+]</c>, and nothing a form encoding or a shell changes.</summary>
    public const string Alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";

    private const int MaxSecrets = 2;

    /// <summary>A new secret value (never log, print or store it).</summary>
    public static string NewSecret() => RandomNumberGenerator.GetString(Alphabet, SecretLength);

    private async Task RecordAsync(RotatedSecret secret, CancellationToken cancellationToken)
    {
        if (rotatedSecrets is null || secret.SecretId.Length == 0)
        {
            return;
        }

        try
        {
            await rotatedSecrets.PutAsync(secret, cancellationToken);
        }
        catch (MirrorStoreException e)
        {
            ConfigurationLog.RotatedSecretNotRecorded(logger, secret.ClientName, secret.UserPoolId, secret.Fingerprint, e);
        }
    }

    /// <summary>Reads both pools and says what a rotation of <paramref name="clientName"/> would do, or what is in its way.</summary>
    public async Task<SecretRotationPlan> PlanAsync(string clientName, CancellationToken cancellationToken)
    {
        var fingerprinter = options.Fingerprinter();
        var sides = ImmutableArray.CreateBuilder<RotationSide>();
        var blockers = ImmutableArray.CreateBuilder<string>();
        foreach (var (role, pool) in new[] { (PoolRoles.Primary, primary), (PoolRoles.Standby, standby) })
        {
            var configuration = await pool.ReadAsync(fingerprinter, cancellationToken);
            var client = configuration.Clients.GetValueOrDefault(clientName);
            var side = new RotationSide(role, pool.UserPoolId, pool.Region, client?.ClientId, client?.Secrets ?? []);
            sides.Add(side);
            if (configuration.DuplicateClientNames.Contains(clientName))
            {
                blockers.Add($"the {role} pool {pool.UserPoolId} has more than one client named {clientName}; rename all but one so the name picks one client");
            }
            else if (client is null)
            {
                blockers.Add(role == PoolRoles.Standby
                    ? $"the standby pool {pool.UserPoolId} has no client named {clientName}; create it first ('idrep drift --repair' copies it with its secret)"
                    : $"the primary pool {pool.UserPoolId} has no client named {clientName}; 'idrep clients' lists the names");
            }
            else if (!client.IsConfidential)
            {
                blockers.Add($"the {role} pool's client {clientName} ({client.ClientId}) has no secret (a public client): there is nothing to rotate");
            }
            else if (client.Secrets.Length >= MaxSecrets)
            {
                blockers.Add($"the {role} pool's client {clientName} ({client.ClientId}) holds two secrets ({Describe(client.Secrets)}), Cognito's limit: once no caller uses it, delete the older one, {side.Oldest!.SecretId} (DeleteUserPoolClientSecret --user-pool-id {pool.UserPoolId} --client-id {client.ClientId} --client-secret-id {side.Oldest.SecretId}), and the same old secret in the other pool, then run rotate-secret again");
            }
        }

        return new SecretRotationPlan(clientName, sides.ToImmutable(), blockers.ToImmutable());
    }

    /// <summary>
    /// Draws a new secret, gives it to <paramref name="handover"/> (which must keep it where only the operator can read
    /// it), then adds it to the primary's client and, if that worked, to the standby's. A refusal stops the rotation
    /// there; the result says what each pool holds and how to finish or undo.
    /// </summary>
    public async Task<SecretRotationResult> ApplyAsync(SecretRotationPlan plan, Func<string, CancellationToken, Task> handover, CancellationToken cancellationToken)
    {
        if (!plan.CanApply)
        {
            throw new InvalidOperationException($"The rotation of {plan.ClientName} is blocked: {string.Join("; ", plan.Blockers)}");
        }

        var secret = NewSecret();
        var fingerprint = options.Fingerprinter().Of(secret);
        await handover(secret, cancellationToken);
        var results = ImmutableArray.CreateBuilder<RotationResultSide>();
        var refused = false;
        foreach (var side in plan.Sides)
        {
            var pool = side.Role == PoolRoles.Primary ? primary : standby;
            if (refused)
            {
                results.Add(new RotationResultSide(side, RotationOutcome.NotTried));
                continue;
            }

            try
            {
                var id = await pool.AddClientSecretAsync(side.ClientId!, secret, cancellationToken);
                results.Add(new RotationResultSide(side, RotationOutcome.Added, id));
                ConfigurationLog.SecretRotated(logger, plan.ClientName, side.UserPoolId, fingerprint);
                await RecordAsync(new RotatedSecret(side.UserPoolId, side.ClientId!, plan.ClientName, id ?? string.Empty, fingerprint, (time ?? TimeProvider.System).GetUtcNow()), cancellationToken);
            }
            catch (AwsServiceException e)
            {
                refused = true;
                var fix = ConfigurationApplier.FixFor(new ConfigChange(ConfigChangeKind.AddClientSecret, "secret " + plan.ClientName), e);
                results.Add(new RotationResultSide(side, RotationOutcome.Refused, Code: e.ErrorCode, Fix: fix));
                ConfigurationLog.SecretRotationRefused(logger, plan.ClientName, side.UserPoolId, e.ErrorCode);
            }
        }

        return new SecretRotationResult(plan.ClientName, fingerprint, results.ToImmutable());
    }

    private static string Describe(ImmutableArray<ClientSecretState> secrets) =>
        string.Join(", ", secrets.Select(s => $"{s.SecretId} created {s.CreatedAt?.ToString("u", CultureInfo.InvariantCulture) ?? "at an unknown date"}"));
}
