using System.Text.Json.Nodes;

namespace IdentityReplicator.Sandbox.Cognito.Configuration;

/// <summary>
/// Create/Describe/Update/Delete/ListUserPoolClients as Cognito serves them. cognito-local keeps a subset of each
/// client's settings and merges updates; the front keeps every setting, resets what an update does not give (as
/// Cognito does: the trap replication's read-modify-write must handle), and keeps the client in the emulator in step
/// so the emulator's sign-in and OAuth endpoints know it.
/// </summary>
internal sealed class AppClients(ConfigurationContext context, ClientSecrets secrets)
{
    private const int ListPageLimit = 60;

    public IEnumerable<KeyValuePair<string, Func<FrontCall, CancellationToken, Task<JsonObject>>>> Operations() =>
    [
        new("CreateUserPoolClient", CreateAsync),
        new("DescribeUserPoolClient", DescribeAsync),
        new("UpdateUserPoolClient", UpdateAsync),
        new("DeleteUserPoolClient", DeleteAsync),
        new("ListUserPoolClients", ListAsync),
    ];

    /// <summary>The client's record, adopting one the emulator has but the front does not know (created before it).</summary>
    public async Task<JsonObject> RecordAsync(string userPoolId, string clientId, CancellationToken cancellationToken)
    {
        if (Find(userPoolId, clientId) is { } known)
        {
            return known;
        }

        if (IsDeleted(userPoolId, clientId))
        {
            throw CognitoFault.NotFound($"User pool client {clientId} does not exist.");
        }

        var reply = await context.Emulator.SendAsync("DescribeUserPoolClient", new JsonObject { ["UserPoolId"] = userPoolId, ["ClientId"] = clientId }, cancellationToken);
        if (!reply.IsSuccess || JsonNode.Parse(reply.Body)?["UserPoolClient"] is not JsonObject emulated)
        {
            throw CognitoFault.NotFound($"User pool client {clientId} does not exist.");
        }

        Adopt(userPoolId, emulated);
        return Find(userPoolId, clientId)!;
    }

    private async Task<JsonObject> CreateAsync(FrontCall call, CancellationToken cancellationToken)
    {
        var body = ConfigurationContext.Body(call);
        var userPoolId = await context.PoolAsync(body, cancellationToken);
        var name = Requests.Required(body, "ClientName", 128, ClientSettings.ClientName());
        var generate = Requests.Flag(body, "GenerateSecret") ?? false;
        var custom = Requests.Optional(body, "ClientSecret", 64, Requests.ClientId());
        if (generate && custom is not null)
        {
            throw CognitoFault.Invalid("You cannot specify both GenerateSecret as true and provide a ClientSecret value.");
        }

        ClientSecrets.CheckCustom(custom);
        var record = ClientSettings.Read(body, name, generate || custom is not null, await FactsAsync(userPoolId, cancellationToken));

        var create = ClientSettings.ForEmulator(record);
        create["UserPoolId"] = userPoolId;
        var reply = await context.Emulator.SendAsync("CreateUserPoolClient", create, cancellationToken);
        var clientId = reply.IsSuccess ? JsonNode.Parse(reply.Body)?["UserPoolClient"]?["ClientId"]?.GetValue<string>() : null;
        if (clientId is null)
        {
            throw new CognitoFault("InternalErrorException", "cognito-local did not create the app client.");
        }

        var now = context.Now();
        var stored = Stamp(record, userPoolId, clientId, now, now.DeepClone());
        context.Store.Change(root => Clients(root, userPoolId)[clientId] = stored);
        if (generate || custom is not null)
        {
            secrets.CreateFirst(userPoolId, clientId, custom, publish: generate && Requests.Flag(body, "PublishSecretsInAWSSecretsManager") == true);
        }

        return new JsonObject { ["UserPoolClient"] = View(userPoolId, clientId) };
    }

    private async Task<JsonObject> DescribeAsync(FrontCall call, CancellationToken cancellationToken)
    {
        var body = ConfigurationContext.Body(call);
        var userPoolId = await context.PoolAsync(body, cancellationToken);
        var clientId = Requests.Required(body, "ClientId", 128, Requests.ClientId());
        await RecordAsync(userPoolId, clientId, cancellationToken);
        return new JsonObject { ["UserPoolClient"] = View(userPoolId, clientId) };
    }

    private async Task<JsonObject> UpdateAsync(FrontCall call, CancellationToken cancellationToken)
    {
        var body = ConfigurationContext.Body(call);
        var userPoolId = await context.PoolAsync(body, cancellationToken);
        var clientId = Requests.Required(body, "ClientId", 128, Requests.ClientId());
        var current = await RecordAsync(userPoolId, clientId, cancellationToken);
        var name = Requests.Optional(body, "ClientName", 128, ClientSettings.ClientName()) ?? current["ClientName"]!.GetValue<string>();
        var record = ClientSettings.Read(body, name, secrets.IsConfidential(userPoolId, clientId), await FactsAsync(userPoolId, cancellationToken));

        var update = ClientSettings.ForEmulator(record);
        update["UserPoolId"] = userPoolId;
        update["ClientId"] = clientId;
        var reply = await context.Emulator.SendAsync("UpdateUserPoolClient", update, cancellationToken);
        if (!reply.IsSuccess)
        {
            throw CognitoFault.NotFound($"User pool client {clientId} does not exist.");
        }

        var stored = Stamp(record, userPoolId, clientId, current["CreationDate"]!.DeepClone(), context.Now());
        context.Store.Change(root => Clients(root, userPoolId)[clientId] = stored);
        if (Requests.Flag(body, "PublishSecretsInAWSSecretsManager") is { } publish)
        {
            secrets.SetPublished(userPoolId, clientId, publish);
        }

        return new JsonObject { ["UserPoolClient"] = View(userPoolId, clientId) };
    }

    private async Task<JsonObject> DeleteAsync(FrontCall call, CancellationToken cancellationToken)
    {
        var body = ConfigurationContext.Body(call);
        var userPoolId = await context.PoolAsync(body, cancellationToken);
        var clientId = Requests.Required(body, "ClientId", 128, Requests.ClientId());
        await RecordAsync(userPoolId, clientId, cancellationToken);
        await context.Emulator.SendAsync("DeleteUserPoolClient", new JsonObject { ["UserPoolId"] = userPoolId, ["ClientId"] = clientId }, cancellationToken);
        context.Store.Change(root =>
        {
            var pool = ConfigurationStore.Pool(root, userPoolId);
            foreach (var section in new[] { "clients", "clientSecrets", "uiCustomizations" })
            {
                ConfigurationStore.Section(pool, section).Remove(clientId);
            }

            // Remembered, so a client the emulator still lists (its last save lost when it was killed) is not adopted again.
            ConfigurationStore.Section(pool, "deletedClients")[clientId] = true;

            // Branding and terms belong to the client: they go with it.
            foreach (var section in new[] { "brandings", "terms" })
            {
                var items = ConfigurationStore.Section(pool, section);
                foreach (var id in items.Where(i => i.Value?["ClientId"]?.GetValue<string>() == clientId).Select(i => i.Key).ToList())
                {
                    items.Remove(id);
                }
            }

            return true;
        });
        return [];
    }

    private async Task<JsonObject> ListAsync(FrontCall call, CancellationToken cancellationToken)
    {
        var body = ConfigurationContext.Body(call);
        var userPoolId = await context.PoolAsync(body, cancellationToken);
        var type = Requests.OneOf(body, "ClientType", "REGULAR", "DCR");
        var reply = await context.Emulator.SendAsync("ListUserPoolClients", new JsonObject { ["UserPoolId"] = userPoolId }, cancellationToken);
        foreach (var emulated in (reply.IsSuccess ? JsonNode.Parse(reply.Body)?["UserPoolClients"] as JsonArray : null) ?? [])
        {
            if (emulated is JsonObject client && client["ClientId"]?.GetValue<string>() is { } id && Find(userPoolId, id) is null && !IsDeleted(userPoolId, id))
            {
                Adopt(userPoolId, client);
            }
        }

        var all = context.Store.Read(root => Clients(root, userPoolId).Select(c => (JsonObject)c.Value!.DeepClone()).ToList());
        var (page, next) = Requests.Page(body, all, c => c["ClientId"]!.GetValue<string>(), "MaxResults", ListPageLimit);
        var result = new JsonObject
        {
            ["UserPoolClients"] = new JsonArray([.. page
                .Where(c => type is null || c["ClientType"]?.GetValue<string>() == type)
                .Select(c => (JsonNode)new JsonObject { ["ClientId"] = c["ClientId"]!.DeepClone(), ["UserPoolId"] = userPoolId, ["ClientName"] = c["ClientName"]!.DeepClone() })]),
        };
        if (next is not null)
        {
            result["NextToken"] = next;
        }

        return result;
    }

    /// <summary>The client as DescribeUserPoolClient shows it: its record with its secret or the secret's ARN.</summary>
    private JsonObject View(string userPoolId, string clientId)
    {
        var view = Find(userPoolId, clientId) ?? throw CognitoFault.NotFound($"User pool client {clientId} does not exist.");
        var ordered = new JsonObject();
        foreach (var (member, value) in view)
        {
            ordered[member] = value?.DeepClone();
            if (member == "ClientId")
            {
                secrets.AddTo(ordered, userPoolId, clientId);
            }
        }

        return ordered;
    }

    private bool IsDeleted(string userPoolId, string clientId) =>
        context.Store.Read(root => ConfigurationStore.Section(ConfigurationStore.Pool(root, userPoolId), "deletedClients")[clientId] is not null);

    private JsonObject? Find(string userPoolId, string clientId) =>
        context.Store.Read(root => Clients(root, userPoolId)[clientId]?.DeepClone() as JsonObject);

    private void Adopt(string userPoolId, JsonObject emulated)
    {
        var record = (JsonObject)emulated.DeepClone();
        var secret = record["ClientSecret"]?.GetValue<string>();
        record.Remove("ClientSecret");
        foreach (var empty in record.Where(p => p.Value is null).Select(p => p.Key).ToList())
        {
            record.Remove(empty);
        }

        var clientId = record["ClientId"]!.GetValue<string>();
        context.Store.Change(root => Clients(root, userPoolId)[clientId] = record);
        if (secret is not null)
        {
            secrets.CreateFirst(userPoolId, clientId, secret, publish: false);
        }
    }

    private async Task<ClientSettings.PoolFacts> FactsAsync(string userPoolId, CancellationToken cancellationToken)
    {
        var pool = await context.DescribePoolAsync(userPoolId, cancellationToken);
        var attributes = (pool["SchemaAttributes"] as JsonArray ?? []).Select(a => a?["Name"]?.GetValue<string>()).OfType<string>().ToHashSet(StringComparer.Ordinal);
        return context.Store.Read(root =>
        {
            var section = ConfigurationStore.Pool(root, userPoolId);
            var providers = ConfigurationStore.Section(section, "identityProviders").Select(p => p.Key).ToHashSet(StringComparer.Ordinal);
            var scopes = ConfigurationStore.Section(section, "resourceServers")
                .SelectMany(s => (s.Value?["Scopes"] as JsonArray ?? []).Select(scope => $"{s.Key}/{scope?["ScopeName"]?.GetValue<string>()}"))
                .ToHashSet(StringComparer.Ordinal);
            return new ClientSettings.PoolFacts(attributes, providers, scopes);
        });
    }

    /// <summary>The stored record: ids and dates first, as Cognito orders UserPoolClientType, then the settings.</summary>
    private static JsonObject Stamp(JsonObject settings, string userPoolId, string clientId, JsonNode created, JsonNode modified)
    {
        var record = new JsonObject
        {
            ["UserPoolId"] = userPoolId,
            ["ClientName"] = settings["ClientName"]!.DeepClone(),
            ["ClientId"] = clientId,
            ["LastModifiedDate"] = modified,
            ["CreationDate"] = created,
        };
        foreach (var (member, value) in settings.Where(p => p.Key != "ClientName"))
        {
            record[member] = value?.DeepClone();
        }

        return record;
    }

    private static JsonObject Clients(JsonObject root, string userPoolId) => ConfigurationStore.Section(ConfigurationStore.Pool(root, userPoolId), "clients");
}
