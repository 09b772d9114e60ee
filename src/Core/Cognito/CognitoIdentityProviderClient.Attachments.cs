using System.Runtime.CompilerServices;
using System.Text.Json.Nodes;

namespace IdentityReplicator.Core.Cognito;

/// <summary>
/// Managed login branding, terms, log delivery and risk configuration, on whole JSON objects like the other
/// configuration calls (shapes per the AWS SDK for JavaScript v3 model, 3.1178.0).
/// </summary>
public sealed partial class CognitoIdentityProviderClient
{
    public async Task<JsonObject> CreateManagedLoginBrandingRawAsync(JsonObject request, CancellationToken cancellationToken = default) =>
        Member(await SendRawAsync("CreateManagedLoginBranding", request, cancellationToken), "ManagedLoginBranding");

    public async Task<JsonObject> UpdateManagedLoginBrandingRawAsync(JsonObject request, CancellationToken cancellationToken = default) =>
        Member(await SendRawAsync("UpdateManagedLoginBranding", request, cancellationToken), "ManagedLoginBranding");

    public Task DeleteManagedLoginBrandingAsync(string userPoolId, string managedLoginBrandingId, CancellationToken cancellationToken = default) =>
        SendRawAsync("DeleteManagedLoginBranding", new JsonObject { ["UserPoolId"] = userPoolId, ["ManagedLoginBrandingId"] = managedLoginBrandingId }, cancellationToken);

    /// <summary>Every terms document's id, name and enforcement (describe each for its client and links).</summary>
    public async IAsyncEnumerable<JsonObject> ListTermsAsync(string userPoolId, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        await foreach (var terms in RawPages("ListTerms", userPoolId, 60, "Terms", cancellationToken))
        {
            yield return terms;
        }
    }

    /// <summary>DescribeTerms' <c>Terms</c>, whole.</summary>
    public async Task<JsonObject> DescribeTermsRawAsync(string userPoolId, string termsId, CancellationToken cancellationToken = default) =>
        Member(await SendRawAsync("DescribeTerms", new JsonObject { ["UserPoolId"] = userPoolId, ["TermsId"] = termsId }, cancellationToken), "Terms");

    public async Task<JsonObject> CreateTermsRawAsync(JsonObject request, CancellationToken cancellationToken = default) =>
        Member(await SendRawAsync("CreateTerms", request, cancellationToken), "Terms");

    public async Task<JsonObject> UpdateTermsRawAsync(JsonObject request, CancellationToken cancellationToken = default) =>
        Member(await SendRawAsync("UpdateTerms", request, cancellationToken), "Terms");

    public Task DeleteTermsAsync(string userPoolId, string termsId, CancellationToken cancellationToken = default) =>
        SendRawAsync("DeleteTerms", new JsonObject { ["UserPoolId"] = userPoolId, ["TermsId"] = termsId }, cancellationToken);

    /// <summary>GetLogDeliveryConfiguration's <c>LogDeliveryConfiguration</c> (empty when the pool has none).</summary>
    public async Task<JsonObject> GetLogDeliveryConfigurationRawAsync(string userPoolId, CancellationToken cancellationToken = default) =>
        Member(await SendRawAsync("GetLogDeliveryConfiguration", new JsonObject { ["UserPoolId"] = userPoolId }, cancellationToken), "LogDeliveryConfiguration");

    public async Task<JsonObject> SetLogDeliveryConfigurationRawAsync(JsonObject request, CancellationToken cancellationToken = default) =>
        Member(await SendRawAsync("SetLogDeliveryConfiguration", request, cancellationToken), "LogDeliveryConfiguration");

    /// <summary>
    /// DescribeRiskConfiguration's <c>RiskConfiguration</c> of the pool (<paramref name="clientId"/> null) or of one
    /// client — for a client without its own, Cognito answers with the pool's (its <c>ClientId</c> tells which).
    /// </summary>
    public async Task<JsonObject> DescribeRiskConfigurationRawAsync(string userPoolId, string? clientId, CancellationToken cancellationToken = default)
    {
        var request = new JsonObject { ["UserPoolId"] = userPoolId };
        if (clientId is not null)
        {
            request["ClientId"] = clientId;
        }

        return Member(await SendRawAsync("DescribeRiskConfiguration", request, cancellationToken), "RiskConfiguration");
    }

    public async Task<JsonObject> SetRiskConfigurationRawAsync(JsonObject request, CancellationToken cancellationToken = default) =>
        Member(await SendRawAsync("SetRiskConfiguration", request, cancellationToken), "RiskConfiguration");
}
