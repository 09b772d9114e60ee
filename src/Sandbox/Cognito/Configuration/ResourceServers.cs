using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace IdentityReplicator.Sandbox.Cognito.Configuration;

/// <summary>
/// Create/Describe/Update/Delete/ListResourceServers (cognito-local has none): a resource server per identifier and
/// pool, with at most 100 custom scopes; an update replaces the name and the scopes.
/// </summary>
internal sealed partial class ResourceServers(ConfigurationContext context)
{
    private const int MaxScopes = 100;
    private const int ListPageLimit = 50;

    public IEnumerable<KeyValuePair<string, Func<FrontCall, CancellationToken, Task<JsonObject>>>> Operations() =>
    [
        new("CreateResourceServer", CreateAsync),
        new("DescribeResourceServer", DescribeAsync),
        new("UpdateResourceServer", UpdateAsync),
        new("DeleteResourceServer", DeleteAsync),
        new("ListResourceServers", ListAsync),
    ];

    private async Task<JsonObject> CreateAsync(FrontCall call, CancellationToken cancellationToken)
    {
        var body = ConfigurationContext.Body(call);
        var userPoolId = await context.PoolAsync(body, cancellationToken);
        var server = Read(body, userPoolId);
        var identifier = server["Identifier"]!.GetValue<string>();
        Put(userPoolId, identifier, server, exists: false);
        return new JsonObject { ["ResourceServer"] = server };
    }

    /// <summary>Stores a resource server: a create refuses one that exists, an update one that does not.</summary>
    private void Put(string userPoolId, string identifier, JsonObject server, bool exists) =>
        context.Store.Change(root =>
        {
            var servers = Servers(root, userPoolId);
            if (exists && servers[identifier] is null)
            {
                throw CognitoFault.NotFound($"Resource server {identifier} does not exist.");
            }

            if (!exists && servers[identifier] is not null)
            {
                throw CognitoFault.Invalid($"{identifier} already exists in pool {userPoolId}.");
            }

            servers[identifier] = server.DeepClone();
            return true;
        });

    private async Task<JsonObject> DescribeAsync(FrontCall call, CancellationToken cancellationToken)
    {
        var body = ConfigurationContext.Body(call);
        var userPoolId = await context.PoolAsync(body, cancellationToken);
        var identifier = Requests.Required(body, "Identifier", 256);
        var server = context.Store.Read(root => Servers(root, userPoolId)[identifier]?.DeepClone())
            ?? throw CognitoFault.NotFound($"Resource server {identifier} does not exist.");
        return new JsonObject { ["ResourceServer"] = server };
    }

    private async Task<JsonObject> UpdateAsync(FrontCall call, CancellationToken cancellationToken)
    {
        var body = ConfigurationContext.Body(call);
        var userPoolId = await context.PoolAsync(body, cancellationToken);
        var server = Read(body, userPoolId);
        var identifier = server["Identifier"]!.GetValue<string>();
        Put(userPoolId, identifier, server, exists: true);
        return new JsonObject { ["ResourceServer"] = server };
    }

    private async Task<JsonObject> DeleteAsync(FrontCall call, CancellationToken cancellationToken)
    {
        var body = ConfigurationContext.Body(call);
        var userPoolId = await context.PoolAsync(body, cancellationToken);
        var identifier = Requests.Required(body, "Identifier", 256);
        context.Store.Change(root => Servers(root, userPoolId).Remove(identifier)
            ? true
            : throw CognitoFault.NotFound($"Resource server {identifier} does not exist."));
        return [];
    }

    private async Task<JsonObject> ListAsync(FrontCall call, CancellationToken cancellationToken)
    {
        var body = ConfigurationContext.Body(call);
        var userPoolId = await context.PoolAsync(body, cancellationToken);
        var all = context.Store.Read(root => Servers(root, userPoolId).Select(s => s.Value!.DeepClone()).ToList());
        var (page, next) = Requests.Page(body, all, s => s["Identifier"]!.GetValue<string>(), "MaxResults", ListPageLimit);
        var result = new JsonObject { ["ResourceServers"] = new JsonArray([.. page]) };
        if (next is not null)
        {
            result["NextToken"] = next;
        }

        return result;
    }

    private static JsonObject Read(JsonObject body, string userPoolId)
    {
        var identifier = Requests.Required(body, "Identifier", 256, IdentifierPattern());
        var name = Requests.Required(body, "Name", 256, NamePattern());
        var server = new JsonObject { ["UserPoolId"] = userPoolId, ["Identifier"] = identifier, ["Name"] = name };
        var scopes = new JsonArray();
        if (body["Scopes"] is JsonArray given)
        {
            if (given.Count > MaxScopes)
            {
                throw CognitoFault.Invalid($"1 validation error detected: Value at 'scopes' failed to satisfy constraint: Member must have length less than or equal to {MaxScopes}");
            }

            var seen = new HashSet<string>(StringComparer.Ordinal);
            foreach (var item in given)
            {
                var scope = item as JsonObject ?? throw CognitoFault.Invalid("Each scope must be an object with ScopeName and ScopeDescription.");
                var scopeName = Requests.Required(scope, "ScopeName", 256, ScopePattern());
                var description = Requests.Required(scope, "ScopeDescription", 256);
                if (!seen.Add(scopeName))
                {
                    throw CognitoFault.Invalid($"Duplicate scope name: {scopeName}");
                }

                scopes.Add(new JsonObject { ["ScopeName"] = scopeName, ["ScopeDescription"] = description });
            }
        }

        server["Scopes"] = scopes;
        return server;
    }

    private static JsonObject Servers(JsonObject root, string userPoolId) => ConfigurationStore.Section(ConfigurationStore.Pool(root, userPoolId), "resourceServers");

    [GeneratedRegex(@"^[\x21\x23-\x5B\x5D-\x7E]+$")]
    private static partial Regex IdentifierPattern();

    [GeneratedRegex(@"^[\w\s+=,.@-]+$")]
    private static partial Regex NamePattern();

    [GeneratedRegex(@"^[\x21\x23-\x2E\x30-\x5B\x5D-\x7E]+$")]
    private static partial Regex ScopePattern();
}
