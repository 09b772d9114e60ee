using System.Collections.Immutable;
using System.Text.Json.Nodes;
using IdentityReplicator.Core.Aws;
using IdentityReplicator.Core.Mirror;
using IdentityReplicator.Core.PoolConfiguration;
using Microsoft.Extensions.Logging;

namespace IdentityReplicator.Reconciler.Configuration;

/// <summary>
/// Applies a source pool's configuration to a target pool: reads both, plans with <see cref="ConfigurationPlanner"/>,
/// makes each write, and records which target client stands for which source client (<see cref="IClientMappingStore"/>).
/// Client secrets are read from the source at the moment they are written to the target, matched by fingerprint, and
/// go nowhere else. A write the target refuses is reported with Cognito's reason and the fix, and the rest carries on.
/// </summary>
public sealed partial class ConfigurationApplier(
    IPoolConfigurationDirectory source,
    IPoolConfigurationDirectory target,
    IClientMappingStore? mappings,
    ConfigurationReplicationOptions options,
    TimeProvider time,
    ILogger<ConfigurationApplier> logger,
    IClientRefusalStore? refusals = null,
    IRotatedSecretStore? rotatedSecrets = null)
{
    private readonly SemaphoreSlim _schemaGate = new(1, 1);

    public string SourcePoolId => source.UserPoolId;

    public string TargetPoolId => target.UserPoolId;

    /// <summary>Reads both pools with one fingerprint key, then applies.</summary>
    public async Task<ConfigurationApplyResult> ApplyAsync(CancellationToken cancellationToken)
    {
        var comparison = await CompareAsync(cancellationToken);
        return await ApplyAsync(comparison.Source, comparison.Target, comparison.Fingerprinter, cancellationToken);
    }

    /// <summary>Reads both pools with one fingerprint key and compares them (what drift reports).</summary>
    public async Task<ConfigurationComparison> CompareAsync(CancellationToken cancellationToken)
    {
        var fingerprinter = options.Fingerprinter();
        var sourceConfiguration = await WithRotatedSecretsAsync(await source.ReadAsync(fingerprinter, cancellationToken), cancellationToken);
        var targetConfiguration = await WithRotatedSecretsAsync(await target.ReadAsync(fingerprinter, cancellationToken), cancellationToken);
        var findings = ConfigurationComparer.Compare(sourceConfiguration, targetConfiguration, options.MapFor(source.Region, target.Region));
        return new ConfigurationComparison(sourceConfiguration, targetConfiguration, fingerprinter, findings);
    }

    /// <summary>Applies what was read (with <paramref name="fingerprinter"/>) from the two pools.</summary>
    public Task<ConfigurationApplyResult> ApplyAsync(PoolConfiguration sourceConfiguration, PoolConfiguration targetConfiguration, SecretFingerprinter fingerprinter, CancellationToken cancellationToken) =>
        ApplyPlanAsync(Plan(sourceConfiguration, targetConfiguration), sourceConfiguration, targetConfiguration, fingerprinter, null, cancellationToken);

    /// <summary>
    /// Applies one object a configuration hint names: reads only its section in the source, and — unless the source's
    /// object still has <paramref name="appliedFingerprint"/> (a replay or a duplicate record) — in the target, and
    /// makes the planner's writes that belong to that object (a client's include its secrets). A client the source
    /// no longer has is named by its mapping; one nobody can name is left to the configuration sweep.
    /// </summary>
    internal async Task<ConfigurationObjectResult> ApplyObjectAsync(ConfigurationHint hint, string? appliedFingerprint, CancellationToken cancellationToken)
    {
        if (hint.Kind == ConfigObjectKind.Client && hint.ObjectId is not null)
        {
            return await ApplyClientAsync(hint, hint.ObjectId, appliedFingerprint, cancellationToken);
        }

        var sections = ConfigurationObjects.SectionsOf(hint.Kind);
        var fingerprinter = options.Fingerprinter();
        var sourceConfiguration = await source.ReadAsync(fingerprinter, sections, cancellationToken);
        IReadOnlyList<ClientMapping> known = hint.Kind == ConfigObjectKind.Client && mappings is not null && !sourceConfiguration.Clients.Values.Any(c => c.ClientId == hint.ObjectId)
            ? await mappings.ListAsync(target.UserPoolId, cancellationToken)
            : [];
        if (ConfigurationObjects.SubjectOf(hint, sourceConfiguration, known) is not { } subject)
        {
            return new ConfigurationObjectResult(null, null, ConfigurationApplyResult.Nothing);
        }

        var fingerprint = ConfigurationObjects.Fingerprint(subject, sourceConfiguration);
        if (fingerprint == appliedFingerprint)
        {
            return new ConfigurationObjectResult(subject, fingerprint, ConfigurationApplyResult.Nothing, Unchanged: true);
        }

        sourceConfiguration = await WithRotatedSecretsAsync(sourceConfiguration, cancellationToken);
        var targetConfiguration = await WithRotatedSecretsAsync(await target.ReadAsync(fingerprinter, sections, cancellationToken), cancellationToken);
        var plan = Plan(sourceConfiguration, targetConfiguration).Where(c => ConfigurationObjects.Belongs(c, subject)).ToImmutableArray();
        var result = await ApplyPlanAsync(plan, sourceConfiguration, targetConfiguration, fingerprinter, RefusalsByClient.ClientName(subject) is { } client ? [client] : [], cancellationToken);
        return new ConfigurationObjectResult(subject, fingerprint, result);
    }

    /// <summary>
    /// Adds the source's custom attributes the target lacks (users wait for them, see <c>ApplyEngine.WaitForSchema</c>):
    /// reads both schemas, makes the schema's writes only. <c>true</c> when it added any.
    /// </summary>
    public async Task<bool> ApplySchemaAsync(CancellationToken cancellationToken)
    {
        // One at a time: users that wait for the same attribute must not each try to add it.
        await _schemaGate.WaitAsync(cancellationToken);
        try
        {
            var hint = new ConfigurationHint { SourcePoolId = SourcePoolId, Kind = ConfigObjectKind.Schema, Operation = "UserApply", Version = 0 };
            var done = await ApplyObjectAsync(hint, appliedFingerprint: null, cancellationToken);
            return !done.Result.Applied.IsEmpty;
        }
        finally
        {
            _schemaGate.Release();
        }
    }

    private ImmutableArray<ConfigChange> Plan(PoolConfiguration sourceConfiguration, PoolConfiguration targetConfiguration) =>
        ConfigurationPlanner.Plan(sourceConfiguration, targetConfiguration, options.MapFor(source.Region, target.Region), options.StandbyDomainPrefix);

    /// <summary>
    /// Makes <paramref name="plan"/>'s writes. <paramref name="clientNames"/> says which clients the apply covers: their
    /// mappings and kept refusals are brought up to date, every other client's are left as they are; null covers all.
    /// </summary>
    private async Task<ConfigurationApplyResult> ApplyPlanAsync(ImmutableArray<ConfigChange> plan, PoolConfiguration sourceConfiguration, PoolConfiguration targetConfiguration, SecretFingerprinter fingerprinter, IReadOnlyCollection<string>? clientNames, CancellationToken cancellationToken)
    {
        ConfigurationLog.Planned(logger, source.UserPoolId, target.UserPoolId, plan.Length);
        var targetIds = targetConfiguration.Clients.ToDictionary(c => c.Key, c => c.Value.ClientId, StringComparer.Ordinal);
        foreach (var (name, id) in targetConfiguration.ClientIds)
        {
            targetIds.TryAdd(name, id);
        }

        var applied = ImmutableArray.CreateBuilder<ConfigChange>();
        var refused = ImmutableArray.CreateBuilder<ConfigRefusal>();
        foreach (var change in plan)
        {
            try
            {
                await WriteAsync(change, sourceConfiguration, targetIds, fingerprinter, cancellationToken);
                applied.Add(change);
                ConfigurationLog.Written(logger, change.Operation, change.Subject);
            }
            catch (AwsServiceException e)
            {
                refused.Add(Refusal(change, e));
                ConfigurationLog.Refused(logger, change.Operation, change.Subject, e.ErrorCode);
                if (!CarriesSecret(change))
                {
                    ConfigurationLog.RefusedDetail(logger, change.Operation, change.Subject, e);
                }
            }
            catch (TargetClientMissingException e)
            {
                refused.Add(new ConfigRefusal(change.Subject, change.Operation, "ClientMissing", e.Message, "fix the refusal of the client's creation, then run again"));
                ConfigurationLog.Refused(logger, change.Operation, change.Subject, "ClientMissing");
            }
            catch (UnreadableSecretException e)
            {
                refused.Add(new ConfigRefusal(change.Subject, change.Operation, "SecretUnreadable", e.Message, "set one new custom secret in both pools (AddUserPoolClientSecret with the same ClientSecret in each), then delete the old one"));
                ConfigurationLog.Refused(logger, change.Operation, change.Subject, "SecretUnreadable");
            }
        }

        await RecordMappingsAsync(sourceConfiguration, targetConfiguration, targetIds, applied, clientNames, cancellationToken);
        if (refusals is not null)
        {
            var byClient = RefusalsByClient.Of(target.UserPoolId, refused);
            await (clientNames is null
                ? refusals.ReplaceAsync(target.UserPoolId, byClient, time.GetUtcNow(), cancellationToken)
                : refusals.ReplaceForAsync(target.UserPoolId, clientNames, byClient, time.GetUtcNow(), cancellationToken));
        }

        ConfigurationLog.Done(logger, applied.Count, refused.Count);
        return new ConfigurationApplyResult(applied.ToImmutable(), refused.ToImmutable());
    }

    /// <summary>The refusals the last apply to the target kept per client (none without a refusal store).</summary>
    public async Task<IReadOnlyList<ClientRefusals>> LastRefusalsAsync(CancellationToken cancellationToken) =>
        refusals is null ? [] : await refusals.ListAsync(target.UserPoolId, cancellationToken);

    /// <summary>What to do about a refusal, by the kind of error (never by its message).</summary>
    internal static string FixFor(ConfigChange change, AwsServiceException error) => error switch
    {
        { IsPermissionProblem: true } => $"grant the reconciler's role cognito-idp:{change.Operation} on the target pool (docs/permissions.md)",
        { IsThrottling: true } or { IsRetryable: true } => "transient; the next apply or 'idrep drift --repair' retries it",
        { ErrorCode: "ResourceNotFoundException" } => "the object changed while apply ran; run it again",
        { ErrorCode: "LimitExceededException" } => "the target pool is at a Cognito limit for this kind of object; remove unused ones or raise the quota",
        { ErrorCode: "InvalidParameterException" or "InvalidSmsRoleAccessPolicyException" or "InvalidSmsRoleTrustRelationshipException" or "InvalidEmailRoleAccessPolicyException" }
            => "the target cannot take the source's value as it is; fix the named setting in the source, or give the target what it needs (a Regional value in Replication:RegionalValues, an SES identity, an SNS role), then run again",
        _ => "fix it in the target by hand or in the source, then run again",
    };

    private static ConfigRefusal Refusal(ConfigChange change, AwsServiceException e)
    {
        // A secret write's refusal could echo the request; its code says enough.
        var reason = CarriesSecret(change) ? "(not shown for a write that carries a secret)" : e.Message;
        return new ConfigRefusal(change.Subject, change.Operation, e.ErrorCode, reason, FixFor(change, e));
    }

    private static bool CarriesSecret(ConfigChange change) =>
        change.SecretFingerprint is not null || change.Kind is ConfigChangeKind.DeleteClientSecret;

    private async Task WriteAsync(ConfigChange change, PoolConfiguration sourceConfiguration, Dictionary<string, string> targetIds, SecretFingerprinter fingerprinter, CancellationToken cancellationToken)
    {
        switch (change.Kind)
        {
            case ConfigChangeKind.AddCustomAttributes:
                await target.AddCustomAttributesAsync((JsonArray)change.Request!["CustomAttributes"]!, cancellationToken);
                break;
            case ConfigChangeKind.CreateResourceServer:
                await target.CreateResourceServerAsync(change.Request!, cancellationToken);
                break;
            case ConfigChangeKind.UpdateResourceServer:
                await target.UpdateResourceServerAsync(change.Request!, cancellationToken);
                break;
            case ConfigChangeKind.DeleteResourceServer:
                await target.DeleteResourceServerAsync(change.Target!, cancellationToken);
                break;
            case ConfigChangeKind.CreateIdentityProvider:
                await target.CreateIdentityProviderAsync(change.Request!, cancellationToken);
                break;
            case ConfigChangeKind.UpdateIdentityProvider:
                await target.UpdateIdentityProviderAsync(change.Request!, cancellationToken);
                break;
            case ConfigChangeKind.DeleteIdentityProvider:
                await target.DeleteIdentityProviderAsync(change.Target!, cancellationToken);
                break;
            case ConfigChangeKind.CreateClient:
                var request = (JsonObject)change.Request!.DeepClone();
                if (change.SecretFingerprint is not null)
                {
                    // Cognito refuses GenerateSecret together with a ClientSecret value: the value is the secret.
                    request["ClientSecret"] = await SourceSecretAsync(change, sourceConfiguration, fingerprinter, cancellationToken);
                    request.Remove("GenerateSecret");
                }

                targetIds[change.Target!] = await target.CreateClientAsync(request, cancellationToken);
                break;
            case ConfigChangeKind.UpdateClient:
                await target.UpdateClientAsync(change.Request!, cancellationToken);
                break;
            case ConfigChangeKind.DeleteClient:
                await target.DeleteClientAsync(change.Target!, cancellationToken);
                break;
            case ConfigChangeKind.AddClientSecret when targetIds.TryGetValue(change.Target!, out var clientId):
                await target.AddClientSecretAsync(clientId, await SourceSecretAsync(change, sourceConfiguration, fingerprinter, cancellationToken), cancellationToken);
                break;
            case ConfigChangeKind.DeleteClientSecret when change.Target is not null:
                var name = change.Subject["secret ".Length..];
                await target.DeleteClientSecretAsync(targetIds[name], change.Target, cancellationToken);
                break;
            case ConfigChangeKind.UpdatePool:
                await target.UpdatePoolAsync(change.Request!, cancellationToken);
                break;
            case ConfigChangeKind.SetMfaConfig:
                await target.SetMfaConfigAsync(change.Request!, cancellationToken);
                break;
            case ConfigChangeKind.CreateDomain:
                await target.CreateDomainAsync(change.Target!, cancellationToken);
                break;
            case ConfigChangeKind.SetUiCss:
                await target.SetUiCssAsync((string?)change.Request?["CSS"], cancellationToken);
                break;
            case var kind when AttachmentWriter.Handles(kind):
                await AttachmentWriter.WriteAsync(target, change, targetIds, cancellationToken);
                break;
            default:
                throw new UnreadableSecretException($"{change.Subject}: the target client or secret to change is not known (created by an earlier write that was refused, or a pool that does not list secret ids)");
        }
    }

    private async Task<string> SourceSecretAsync(ConfigChange change, PoolConfiguration sourceConfiguration, SecretFingerprinter fingerprinter, CancellationToken cancellationToken)
    {
        var name = change.Target!;
        var values = await source.ReadClientSecretsAsync(sourceConfiguration.Clients[name].ClientId, cancellationToken);
        return values.FirstOrDefault(v => fingerprinter.Of(v) == change.SecretFingerprint)
            ?? throw new UnreadableSecretException($"client {name}: the source's secret changed or cannot be read any more since it was compared");
    }

    private async Task RecordMappingsAsync(PoolConfiguration sourceConfiguration, PoolConfiguration targetConfiguration, Dictionary<string, string> targetIds, IEnumerable<ConfigChange> applied, IReadOnlyCollection<string>? clientNames, CancellationToken cancellationToken)
    {
        if (mappings is null)
        {
            return;
        }

        var now = time.GetUtcNow();
        foreach (var (name, client) in sourceConfiguration.Clients.Where(c => clientNames?.Contains(c.Key) != false))
        {
            if (targetIds.TryGetValue(name, out var targetId))
            {
                await mappings.PutAsync(new ClientMapping(name, source.UserPoolId, client.ClientId, target.UserPoolId, targetId, now), cancellationToken);
            }
        }

        // A name two clients hold is never matched: a mapping kept for it would let a client hint write one of them.
        foreach (var name in sourceConfiguration.DuplicateClientNames.Union(targetConfiguration.DuplicateClientNames, StringComparer.Ordinal))
        {
            await mappings.DeleteAsync(target.UserPoolId, name, cancellationToken);
        }

        foreach (var deleted in applied.Where(c => c.Kind == ConfigChangeKind.DeleteClient))
        {
            var name = deleted.Subject["client ".Length..];
            if (targetConfiguration.Clients.ContainsKey(name) && !sourceConfiguration.Clients.ContainsKey(name))
            {
                await mappings.DeleteAsync(target.UserPoolId, name, cancellationToken);
            }
        }
    }
}

/// <summary>
/// What applying one hinted object did: the object's subject (null when it could not be named), the fingerprint of
/// the source's object, and the writes — none when <see cref="Unchanged"/> (the source's object is as last applied).
/// </summary>
internal sealed record ConfigurationObjectResult(string? Subject, string? Fingerprint, ConfigurationApplyResult Result, bool Unchanged = false);

/// <summary>Two pools' configurations, read with one fingerprint key, and what their comparison found.</summary>
public sealed record ConfigurationComparison(PoolConfiguration Source, PoolConfiguration Target, SecretFingerprinter Fingerprinter, ImmutableArray<ConfigFinding> Findings);

/// <summary>A secret the source no longer gives (rotated since the comparison, or not readable): the write that needed it is reported.</summary>
internal sealed class UnreadableSecretException : Exception
{
    public UnreadableSecretException()
    {
    }

    public UnreadableSecretException(string message)
        : base(message)
    {
    }

    public UnreadableSecretException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
