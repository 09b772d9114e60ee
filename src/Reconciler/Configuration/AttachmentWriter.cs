using System.Text.Json.Nodes;
using IdentityReplicator.Core.PoolConfiguration;

namespace IdentityReplicator.Reconciler.Configuration;

/// <summary>Makes the writes <see cref="AttachmentPlanner"/> plans: branding, terms, risk and log delivery.</summary>
internal static class AttachmentWriter
{
    public static bool Handles(ConfigChangeKind kind) => kind is ConfigChangeKind.CreateBranding or ConfigChangeKind.UpdateBranding or ConfigChangeKind.DeleteBranding
        or ConfigChangeKind.CreateTerms or ConfigChangeKind.UpdateTerms or ConfigChangeKind.DeleteTerms or ConfigChangeKind.SetRisk or ConfigChangeKind.SetLogDelivery;

    /// <summary>Performs the change in the target; a client the target does not hold (its creation was refused) is named by <see cref="TargetClientMissingException"/>.</summary>
    public static Task WriteAsync(IPoolConfigurationDirectory target, ConfigChange change, IReadOnlyDictionary<string, string> targetIds, CancellationToken cancellationToken) => change.Kind switch
    {
        ConfigChangeKind.CreateBranding => target.CreateBrandingAsync(ClientId(change, targetIds), change.Request!, cancellationToken),
        ConfigChangeKind.UpdateBranding => target.UpdateBrandingAsync(change.Target!, change.Request!, cancellationToken),
        ConfigChangeKind.DeleteBranding => target.DeleteBrandingAsync(change.Target!, cancellationToken),
        ConfigChangeKind.CreateTerms => target.CreateTermsAsync(ClientId(change, targetIds), TermsName(change), Settings(change), cancellationToken),
        ConfigChangeKind.UpdateTerms => target.UpdateTermsAsync(change.Target!, TermsName(change), Settings(change), cancellationToken),
        ConfigChangeKind.DeleteTerms => target.DeleteTermsAsync(change.Target!, cancellationToken),
        ConfigChangeKind.SetRisk => target.SetRiskAsync(change.Target is null ? null : ClientId(change, targetIds), change.Request!, cancellationToken),
        ConfigChangeKind.SetLogDelivery => target.SetLogDeliveryAsync(change.Request!, cancellationToken),
        _ => throw new ArgumentOutOfRangeException(nameof(change), change.Kind, "not a branding, terms, risk or log delivery change"),
    };

    private static string ClientId(ConfigChange change, IReadOnlyDictionary<string, string> targetIds) =>
        targetIds.TryGetValue(change.Target!, out var id) ? id : throw new TargetClientMissingException(change.Target!);

    private static string TermsName(ConfigChange change) => (string?)change.Request!["TermsName"] ?? string.Empty;

    private static JsonObject Settings(ConfigChange change)
    {
        var settings = (JsonObject)change.Request!.DeepClone();
        settings.Remove("TermsName");
        return settings;
    }
}

/// <summary>A write for a client the target does not hold (its creation was refused in this apply): reported, the rest carries on.</summary>
internal sealed class TargetClientMissingException : Exception
{
    public TargetClientMissingException()
    {
    }

    public TargetClientMissingException(string clientName)
        : base($"the target has no client named '{clientName}' (its creation was refused); fix that refusal and run again")
    {
    }

    public TargetClientMissingException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
