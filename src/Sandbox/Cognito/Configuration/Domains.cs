using System.Security.Cryptography;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using IdentityReplicator.Sandbox.Failover;

namespace IdentityReplicator.Sandbox.Cognito.Configuration;

/// <summary>
/// Create/Describe/Update/DeleteUserPoolDomain (cognito-local has none). A pool has at most one prefix domain and one
/// custom domain (a custom domain names an ACM certificate in CustomDomainConfig); a domain belongs to one pool in the
/// Region; DescribeUserPoolDomain answers an empty description for a domain nobody has, as Cognito does; domains become
/// ACTIVE at once; DescribeUserPool shows them as <c>Domain</c> and <c>CustomDomain</c>.
/// </summary>
internal sealed partial class Domains(ConfigurationContext context)
{
    public IEnumerable<KeyValuePair<string, Func<FrontCall, CancellationToken, Task<JsonObject>>>> Operations() =>
    [
        new("CreateUserPoolDomain", CreateAsync),
        new("DescribeUserPoolDomain", DescribeAsync),
        new("UpdateUserPoolDomain", UpdateAsync),
        new("DeleteUserPoolDomain", DeleteAsync),
    ];

    /// <summary>The pool's prefix domain and custom domain (for DescribeUserPool).</summary>
    public (string? Prefix, string? Custom) Of(string userPoolId) => context.Store.Read(root =>
    {
        var mine = All(root).Where(d => d.Value?["UserPoolId"]?.GetValue<string>() == userPoolId).ToList();
        return (mine.FirstOrDefault(d => d.Value?["CustomDomainConfig"]?["CertificateArn"] is null).Key,
                mine.FirstOrDefault(d => d.Value?["CustomDomainConfig"]?["CertificateArn"] is not null).Key);
    });

    private async Task<JsonObject> CreateAsync(FrontCall call, CancellationToken cancellationToken)
    {
        var body = ConfigurationContext.Body(call);
        var userPoolId = await context.PoolAsync(body, cancellationToken);
        var domain = Requests.Required(body, "Domain", 63);
        var certificate = Certificate(body);
        var custom = certificate is not null;
        if (!(custom ? CustomPattern() : PrefixPattern()).IsMatch(domain))
        {
            throw CognitoFault.Invalid(custom
                ? $"Domain {domain} is not a valid custom domain name."
                : $"Domain {domain} is not a valid prefix: use lower-case letters, numbers and hyphens, not starting or ending with a hyphen.");
        }

        if (!custom && Reserved().IsMatch(domain))
        {
            throw CognitoFault.Invalid("Domain cannot contain reserved word: aws, amazon or cognito.");
        }

        var version = Requests.Number(body, "ManagedLoginVersion", 1, 2) ?? 1;
        var description = new JsonObject
        {
            ["UserPoolId"] = userPoolId,
            ["AWSAccountId"] = LocalAws.Account,
            ["Domain"] = domain,
            ["S3Bucket"] = "aws-cognito-prod-sandbox-assets",
            ["CloudFrontDistribution"] = $"{RandomNumberGenerator.GetHexString(14, lowercase: true)}.cloudfront.net",
            ["Version"] = context.Time.GetUtcNow().ToString("yyyyMMddHHmmss", System.Globalization.CultureInfo.InvariantCulture),
            ["Status"] = "ACTIVE",
            ["CustomDomainConfig"] = custom ? (JsonNode)body["CustomDomainConfig"]!.DeepClone() : new JsonObject(),
            ["ManagedLoginVersion"] = version,
        };
        if (body["Routing"] is JsonObject routing)
        {
            description["Routing"] = routing.DeepClone();
        }

        context.Store.Change(root =>
        {
            var domains = All(root);
            if (domains[domain] is not null)
            {
                throw CognitoFault.Invalid("Domain already associated with another user pool.");
            }

            if (domains.Any(d => d.Value?["UserPoolId"]?.GetValue<string>() == userPoolId && (d.Value?["CustomDomainConfig"]?["CertificateArn"] is not null) == custom))
            {
                throw CognitoFault.Invalid($"User pool {userPoolId} already has a {(custom ? "custom" : "prefix")} domain configured.");
            }

            domains[domain] = description.DeepClone();
            return true;
        });
        return Reply(description);
    }

    private Task<JsonObject> DescribeAsync(FrontCall call, CancellationToken cancellationToken)
    {
        var domain = Requests.Required(ConfigurationContext.Body(call), "Domain", 63);
        var description = context.Store.Read(root => All(root)[domain]?.DeepClone()) ?? new JsonObject();
        return Task.FromResult(new JsonObject { ["DomainDescription"] = description });
    }

    private async Task<JsonObject> UpdateAsync(FrontCall call, CancellationToken cancellationToken)
    {
        var body = ConfigurationContext.Body(call);
        var userPoolId = await context.PoolAsync(body, cancellationToken);
        var domain = Requests.Required(body, "Domain", 63);
        var certificate = Certificate(body);
        var version = Requests.Number(body, "ManagedLoginVersion", 1, 2);
        var updated = context.Store.Change(root =>
        {
            var description = All(root)[domain] as JsonObject;
            if (description?["UserPoolId"]?.GetValue<string>() != userPoolId)
            {
                throw CognitoFault.Invalid($"No such domain or user pool exists: {domain} in {userPoolId}.");
            }

            if (certificate is not null)
            {
                if (description["CustomDomainConfig"]?["CertificateArn"] is null)
                {
                    throw CognitoFault.Invalid($"{domain} is a prefix domain: it has no certificate to change.");
                }

                description["CustomDomainConfig"] = body["CustomDomainConfig"]!.DeepClone();
            }

            if (version is not null)
            {
                description["ManagedLoginVersion"] = version;
            }

            if (body["Routing"] is JsonObject routing)
            {
                description["Routing"] = routing.DeepClone();
            }

            return (JsonObject)description.DeepClone();
        });
        return Reply(updated);
    }

    private async Task<JsonObject> DeleteAsync(FrontCall call, CancellationToken cancellationToken)
    {
        var body = ConfigurationContext.Body(call);
        var userPoolId = await context.PoolAsync(body, cancellationToken);
        var domain = Requests.Required(body, "Domain", 63);
        context.Store.Change(root =>
        {
            var domains = All(root);
            if (domains[domain]?["UserPoolId"]?.GetValue<string>() != userPoolId)
            {
                throw CognitoFault.Invalid($"No such domain or user pool exists: {domain} in {userPoolId}.");
            }

            return domains.Remove(domain);
        });
        return [];
    }

    private static string? Certificate(JsonObject body)
    {
        if (body["CustomDomainConfig"] is not JsonObject config)
        {
            return null;
        }

        return Requests.Required(config, "CertificateArn", 2048, CertificatePattern());
    }

    /// <summary>What Create/UpdateUserPoolDomain answer: the CloudFront name for custom domains, and the login version.</summary>
    private static JsonObject Reply(JsonObject description)
    {
        var reply = new JsonObject { ["ManagedLoginVersion"] = description["ManagedLoginVersion"]!.DeepClone() };
        if (description["CustomDomainConfig"]?["CertificateArn"] is not null)
        {
            reply["CloudFrontDomain"] = description["CloudFrontDistribution"]!.DeepClone();
        }

        if (description["Routing"] is { } routing)
        {
            reply["Routing"] = routing.DeepClone();
        }

        return reply;
    }

    private static JsonObject All(JsonObject root) => ConfigurationStore.Section(root, "domains");

    [GeneratedRegex(@"^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$")]
    private static partial Regex PrefixPattern();

    [GeneratedRegex(@"^(?=.{1,63}$)([a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,}$")]
    private static partial Regex CustomPattern();

    [GeneratedRegex("aws|amazon|cognito")]
    private static partial Regex Reserved();

    [GeneratedRegex(@"^arn:[\w+=/,.@-]+:acm:us-east-1:\d{12}:certificate/[\w-]+$")]
    private static partial Regex CertificatePattern();
}
