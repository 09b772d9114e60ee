using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace IdentityReplicator.Sandbox.Cognito.Configuration;

/// <summary>
/// Create/Describe/Update/Delete/ListTerms (cognito-local has none): terms documents of an app client, named
/// <c>terms-of-use…</c> or <c>privacy-policy…</c>, one per name and client, with links per language.
/// </summary>
internal sealed partial class Terms(ConfigurationContext context, AppClients clients)
{
    private const int ListPageLimit = 60;

    public IEnumerable<KeyValuePair<string, Func<FrontCall, CancellationToken, Task<JsonObject>>>> Operations() =>
    [
        new("CreateTerms", CreateAsync),
        new("DescribeTerms", DescribeAsync),
        new("UpdateTerms", UpdateAsync),
        new("DeleteTerms", DeleteAsync),
        new("ListTerms", ListAsync),
    ];

    private async Task<JsonObject> CreateAsync(FrontCall call, CancellationToken cancellationToken)
    {
        var body = ConfigurationContext.Body(call);
        var userPoolId = await context.PoolAsync(body, cancellationToken);
        var clientId = Requests.Required(body, "ClientId", 128, Requests.ClientId());
        await clients.RecordAsync(userPoolId, clientId, cancellationToken);
        var name = Requests.Required(body, "TermsName", 128, NamePattern());
        var source = Requests.OneOf(body, "TermsSource", "LINK") ?? throw CognitoFault.Invalid("1 validation error detected: Value null at 'termsSource' failed to satisfy constraint: Member must not be null");
        var enforcement = Requests.OneOf(body, "Enforcement", "NONE") ?? throw CognitoFault.Invalid("1 validation error detected: Value null at 'enforcement' failed to satisfy constraint: Member must not be null");
        var now = context.Now();
        var terms = new JsonObject
        {
            ["TermsId"] = Guid.NewGuid().ToString(),
            ["UserPoolId"] = userPoolId,
            ["ClientId"] = clientId,
            ["TermsName"] = name,
            ["TermsSource"] = source,
            ["Enforcement"] = enforcement,
            ["Links"] = Links(body) ?? [],
            ["CreationDate"] = now,
            ["LastModifiedDate"] = now.DeepClone(),
        };
        context.Store.Change(root =>
        {
            var all = All(root, userPoolId);
            if (all.Any(t => t.Value?["ClientId"]?.GetValue<string>() == clientId && t.Value?["TermsName"]?.GetValue<string>() == name))
            {
                throw new CognitoFault("TermsExistsException", $"Terms named {name} already exist for app client {clientId}.");
            }

            all[terms["TermsId"]!.GetValue<string>()] = terms.DeepClone();
            return true;
        });
        return new JsonObject { ["Terms"] = terms };
    }

    private async Task<JsonObject> DescribeAsync(FrontCall call, CancellationToken cancellationToken)
    {
        var body = ConfigurationContext.Body(call);
        var userPoolId = await context.PoolAsync(body, cancellationToken);
        var id = Requests.Required(body, "TermsId", 36);
        return new JsonObject { ["Terms"] = context.Store.Read(root => All(root, userPoolId)[id]?.DeepClone()) ?? throw NotFound(id) };
    }

    private async Task<JsonObject> UpdateAsync(FrontCall call, CancellationToken cancellationToken)
    {
        var body = ConfigurationContext.Body(call);
        var userPoolId = await context.PoolAsync(body, cancellationToken);
        var id = Requests.Required(body, "TermsId", 36);
        var name = Requests.Optional(body, "TermsName", 128, NamePattern());
        var source = Requests.OneOf(body, "TermsSource", "LINK");
        var enforcement = Requests.OneOf(body, "Enforcement", "NONE");
        var links = Links(body);
        var updated = context.Store.Change(root =>
        {
            var all = All(root, userPoolId);
            var terms = all[id] as JsonObject ?? throw NotFound(id);
            if (name is not null && all.Any(t => t.Key != id && t.Value?["ClientId"]?.GetValue<string>() == terms["ClientId"]?.GetValue<string>() && t.Value?["TermsName"]?.GetValue<string>() == name))
            {
                throw new CognitoFault("TermsExistsException", $"Terms named {name} already exist for this app client.");
            }

            terms["TermsName"] = name ?? terms["TermsName"]!.GetValue<string>();
            terms["TermsSource"] = source ?? terms["TermsSource"]!.GetValue<string>();
            terms["Enforcement"] = enforcement ?? terms["Enforcement"]!.GetValue<string>();
            terms["Links"] = links ?? terms["Links"]!.DeepClone();
            terms["LastModifiedDate"] = context.Now();
            return terms.DeepClone();
        });
        return new JsonObject { ["Terms"] = updated };
    }

    private async Task<JsonObject> DeleteAsync(FrontCall call, CancellationToken cancellationToken)
    {
        var body = ConfigurationContext.Body(call);
        var userPoolId = await context.PoolAsync(body, cancellationToken);
        var id = Requests.Required(body, "TermsId", 36);
        context.Store.Change(root => All(root, userPoolId).Remove(id) ? true : throw NotFound(id));
        return [];
    }

    private async Task<JsonObject> ListAsync(FrontCall call, CancellationToken cancellationToken)
    {
        var body = ConfigurationContext.Body(call);
        var userPoolId = await context.PoolAsync(body, cancellationToken);
        var all = context.Store.Read(root => All(root, userPoolId).Select(t => (JsonObject)t.Value!).Select(t => new JsonObject
        {
            ["TermsId"] = t["TermsId"]!.DeepClone(),
            ["TermsName"] = t["TermsName"]!.DeepClone(),
            ["Enforcement"] = t["Enforcement"]!.DeepClone(),
            ["CreationDate"] = t["CreationDate"]!.DeepClone(),
            ["LastModifiedDate"] = t["LastModifiedDate"]!.DeepClone(),
        }).ToList());
        var (page, next) = Requests.Page(body, all, t => t["TermsId"]!.GetValue<string>(), "MaxResults", ListPageLimit);
        var result = new JsonObject { ["Terms"] = new JsonArray([.. page]) };
        if (next is not null)
        {
            result["NextToken"] = next;
        }

        return result;
    }

    private static JsonObject? Links(JsonObject body)
    {
        var links = Requests.StringMap(body, "Links");
        if (links?.FirstOrDefault(l => !l.Key.StartsWith("cognito:", StringComparison.Ordinal) || !Uri.TryCreate(l.Value!.GetValue<string>(), UriKind.Absolute, out _)) is { Key: not null } wrong)
        {
            throw CognitoFault.Invalid($"Terms link {wrong.Key} must be keyed cognito:<language> and hold an absolute URL.");
        }

        return links;
    }

    private static CognitoFault NotFound(string id) => CognitoFault.NotFound($"Terms {id} do not exist.");

    private static JsonObject All(JsonObject root, string userPoolId) => ConfigurationStore.Section(ConfigurationStore.Pool(root, userPoolId), "terms");

    [GeneratedRegex(@"^(terms-of-use|privacy-policy)[\w-]*$")]
    private static partial Regex NamePattern();
}
