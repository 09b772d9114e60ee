using System.Collections.Immutable;
using System.Text.Json.Nodes;

namespace IdentityReplicator.Reconciler.Configuration;

/// <summary>What one configuration write does (<see cref="ConfigurationPlanner"/> puts them in dependency order).</summary>
public enum ConfigChangeKind
{
    AddCustomAttributes,
    CreateResourceServer,
    UpdateResourceServer,
    CreateIdentityProvider,
    UpdateIdentityProvider,
    CreateClient,
    UpdateClient,
    DeleteClientSecret,
    AddClientSecret,
    DeleteClient,
    DeleteResourceServer,
    DeleteIdentityProvider,
    UpdatePool,
    SetMfaConfig,
    CreateDomain,
    SetUiCss,
    CreateBranding,
    UpdateBranding,
    DeleteBranding,
    CreateTerms,
    UpdateTerms,
    DeleteTerms,
    SetRisk,
    SetLogDelivery,
}

/// <summary>
/// One write of a configuration apply, on one whole object. <see cref="Request"/> is the whole request, without any
/// client secret: a secret is named by its <see cref="SecretFingerprint"/> and read from the source only when the
/// write is made. <see cref="Target"/> is the object's key in the target (client name, identifier, provider name,
/// secret id).
/// </summary>
public sealed record ConfigChange(ConfigChangeKind Kind, string Subject, JsonObject? Request = null, string? Target = null, string? SecretFingerprint = null)
{
    /// <summary>The Cognito operation that performs the change.</summary>
    public string Operation => Kind switch
    {
        ConfigChangeKind.AddClientSecret => "AddUserPoolClientSecret",
        ConfigChangeKind.DeleteClientSecret => "DeleteUserPoolClientSecret",
        ConfigChangeKind.CreateClient => "CreateUserPoolClient",
        ConfigChangeKind.UpdateClient => "UpdateUserPoolClient",
        ConfigChangeKind.DeleteClient => "DeleteUserPoolClient",
        ConfigChangeKind.UpdatePool => "UpdateUserPool",
        ConfigChangeKind.SetMfaConfig => "SetUserPoolMfaConfig",
        ConfigChangeKind.CreateDomain => "CreateUserPoolDomain",
        ConfigChangeKind.SetUiCss => "SetUICustomization",
        ConfigChangeKind.CreateBranding => "CreateManagedLoginBranding",
        ConfigChangeKind.UpdateBranding => "UpdateManagedLoginBranding",
        ConfigChangeKind.DeleteBranding => "DeleteManagedLoginBranding",
        ConfigChangeKind.SetRisk => "SetRiskConfiguration",
        ConfigChangeKind.SetLogDelivery => "SetLogDeliveryConfiguration",
        _ => Kind.ToString(),
    };

    public override string ToString() => $"{Operation} {Subject}";
}

/// <summary>A write the target refused: Cognito's error code and reason, and what to do. Never holds a secret.</summary>
public sealed record ConfigRefusal(string Subject, string Operation, string Code, string Reason, string Fix)
{
    public override string ToString() => $"{Operation} {Subject} refused ({Code}: {Reason}); {Fix}";
}

/// <summary>What a configuration apply did: the writes made, in order, and the ones refused (the rest carried on).</summary>
public sealed record ConfigurationApplyResult(ImmutableArray<ConfigChange> Applied, ImmutableArray<ConfigRefusal> Refused)
{
    public static readonly ConfigurationApplyResult Nothing = new([], []);

    public bool IsClean => Refused.IsEmpty;
}
