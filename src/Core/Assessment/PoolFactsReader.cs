using System.Collections.Immutable;
using System.Text.Json.Nodes;
using IdentityReplicator.Core.Cognito;

namespace IdentityReplicator.Core.Assessment;

/// <summary>
/// Reads the <see cref="PoolFacts"/> of one pool through the Cognito client (so every call is paced in its quota
/// category): DescribeUserPool, ListUserPoolReplicas, the custom domain, app clients, identity providers, MFA
/// configuration and one listing of the users. Users with TOTP are counted only when the pool offers TOTP, by reading
/// users one by one (AdminGetUser) up to <paramref name="totpReadLimit"/>. Keeps counts only: no user's data leaves here.
/// </summary>
public sealed class PoolFactsReader(CognitoIdentityProviderClient cognito, int totpReadLimit = 10_000)
{
    public async Task<PoolFacts> ReadAsync(string userPoolId, CancellationToken cancellationToken)
    {
        var pool = (await cognito.DescribeUserPoolRawAsync(userPoolId, cancellationToken)).UserPool ?? [];
        var (probe, replicas) = await ProbeReplicasAsync(userPoolId, cancellationToken);
        var customDomain = (string?)pool["CustomDomain"];
        var domainFailover = customDomain is not null
            && (await cognito.DescribeUserPoolDomainRawAsync(customDomain, cancellationToken))["Routing"]?["Failover"] is JsonObject;
        var totpEnabled = (await cognito.GetUserPoolMfaConfigRawAsync(userPoolId, cancellationToken))["SoftwareTokenMfaConfiguration"]?["Enabled"]?.GetValue<bool>() == true;

        var clients = 0;
        var confidential = 0;
        await foreach (var client in cognito.ListUserPoolClientsAsync(userPoolId, cancellationToken))
        {
            clients++;
            var described = await cognito.DescribeUserPoolClientRawAsync(userPoolId, client.ClientId ?? string.Empty, cancellationToken);
            confidential += described["ClientSecret"] is not null || described["ClientSecretArn"] is not null ? 1 : 0;
        }

        var providers = 0;
        await foreach (var _ in cognito.ListIdentityProvidersAsync(userPoolId, cancellationToken))
        {
            providers++;
        }

        var keyArn = (string?)pool["KeyConfiguration"]?["KmsKeyArn"];
        return new PoolFacts
        {
            UserPoolId = userPoolId,
            Region = cognito.Endpoint.Region,
            FeaturePlan = (string?)pool["UserPoolTier"],
            Probe = probe,
            Replicas = replicas,
            KeyType = (string?)pool["KeyConfiguration"]?["KeyType"],
            MultiRegionKey = keyArn is not null && keyArn[(keyArn.LastIndexOf('/') + 1)..].StartsWith("mrk-", StringComparison.Ordinal),
            IssuerType = (string?)pool["IssuerConfiguration"]?["Type"],
            HasCustomDomain = customDomain is not null,
            DomainFailover = domainFailover,
            Population = await CountUsersAsync(userPoolId, totpEnabled, cancellationToken),
            AppClients = clients,
            ConfidentialClients = confidential,
            Triggers = [.. (pool["LambdaConfig"] as JsonObject ?? []).Where(t => t.Value is not null).Select(t => t.Key).Order(StringComparer.Ordinal)],
            IdentityProviders = providers,
            TotpEnabled = totpEnabled,
            CustomMessaging = (string?)pool["EmailConfiguration"]?["EmailSendingAccount"] == "DEVELOPER" || pool["SmsConfiguration"]?["SnsCallerArn"] is not null,
        };
    }

    private async Task<(ReplicaProbe Probe, ImmutableArray<UserPoolReplicaType> Replicas)> ProbeReplicasAsync(string userPoolId, CancellationToken cancellationToken)
    {
        try
        {
            return (ReplicaProbe.Answered, [.. await cognito.ListUserPoolReplicasAsync(userPoolId, cancellationToken)]);
        }
        catch (PoolFeatureRefusedException e)
        {
            return (new ReplicaProbe(ReplicaProbeOutcome.Refused, e.ErrorCode), []);
        }
        catch (CognitoException e) when (!e.IsRetryable && !e.IsPermissionProblem)
        {
            return (new ReplicaProbe(ReplicaProbeOutcome.Unknown, e.ErrorCode), []);
        }
    }

    private async Task<PopulationCounts> CountUsersAsync(string userPoolId, bool totpEnabled, CancellationToken cancellationToken)
    {
        int users = 0, federated = 0, unverified = 0, unconfirmed = 0, totp = 0, read = 0;
        await foreach (var user in cognito.ListUsersAsync(new ListUsersRequest(userPoolId) { Limit = 60 }, cancellationToken))
        {
            users++;
            federated += user.UserStatus == "EXTERNAL_PROVIDER" ? 1 : 0;
            unconfirmed += user.UserStatus == "UNCONFIRMED" ? 1 : 0;
            var verified = user.Attributes?.Any(a => a.Name is "email_verified" or "phone_number_verified" && a.Value == "true") == true;
            unverified += verified ? 0 : 1;
            if (totpEnabled && read < totpReadLimit && user.Username is { } username)
            {
                read++;
                var full = await cognito.AdminGetUserAsync(new AdminGetUserRequest(userPoolId, username), cancellationToken);
                totp += full.UserMFASettingList?.Contains("SOFTWARE_TOKEN_MFA") == true ? 1 : 0;
            }
        }

        return new PopulationCounts
        {
            Users = users,
            TotpUsers = totpEnabled ? totp : 0,
            TotpUsersRead = read,
            FederatedUsers = federated,
            WithoutVerifiedChannel = unverified,
            Unconfirmed = unconfirmed,
        };
    }
}
