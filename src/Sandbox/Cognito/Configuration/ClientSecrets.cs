using System.Globalization;
using System.Security.Cryptography;
using System.Text.Json.Nodes;
using IdentityReplicator.Sandbox.Failover;

namespace IdentityReplicator.Sandbox.Cognito.Configuration;

/// <summary>A client secret that Cognito keeps in Secrets Manager, as the local Secrets Manager serves it.</summary>
internal sealed record ManagedSecret(string Arn, string Name, string VersionId, string SecretString, DateTimeOffset CreatedDate, DateTimeOffset LastChangedDate);

/// <summary>
/// App client secrets as Cognito keeps them: at most two active secrets per confidential client, each with an id
/// <c>&lt;client-id&gt;--&lt;epoch-milliseconds&gt;</c> and a creation date; a value is returned only when Cognito
/// generated it (and by DescribeUserPoolClient for the client's first secret while it exists); with
/// <c>PublishSecretsInAWSSecretsManager</c> the client's secret lives in Secrets Manager and DescribeUserPoolClient
/// returns its <c>ClientSecretArn</c> instead.
/// </summary>
internal sealed class ClientSecrets(ConfigurationContext context)
{
    private const int MaxActiveSecrets = 2;
    private const string Alphabet = "abcdefghijklmnopqrstuvwxyz0123456789";

    public IEnumerable<KeyValuePair<string, Func<FrontCall, CancellationToken, Task<JsonObject>>>> Operations(AppClients clients) =>
    [
        new("AddUserPoolClientSecret", (call, token) => AddAsync(clients, call, token)),
        new("DeleteUserPoolClientSecret", (call, token) => DeleteAsync(clients, call, token)),
        new("ListUserPoolClientSecrets", (call, token) => ListAsync(clients, call, token)),
    ];

    /// <summary>Checks a chosen secret as Cognito does: 24 to 64 characters of <c>[\w+]</c>.</summary>
    public static void CheckCustom(string? secret)
    {
        if (secret is not null && (secret.Length < 24 || !Requests.ClientId().IsMatch(secret)))
        {
            throw CognitoFault.Invalid("1 validation error detected: Value at 'clientSecret' failed to satisfy constraint: Member must have length between 24 and 64 and satisfy regular expression pattern: [\\w+]+");
        }
    }

    /// <summary>The secret a client is created with (generated when <paramref name="custom"/> is null).</summary>
    public void CreateFirst(string userPoolId, string clientId, string? custom, bool publish)
    {
        var descriptor = NewSecret(clientId, custom, []);
        context.Store.Change(root =>
        {
            var state = new JsonObject { ["Secrets"] = new JsonArray(descriptor), ["First"] = descriptor["ClientSecretId"]!.DeepClone() };
            Section(root, userPoolId)[clientId] = state;
            if (publish)
            {
                Publish(state, userPoolId, clientId);
            }

            return true;
        });
    }

    public bool IsConfidential(string userPoolId, string clientId) =>
        context.Store.Read(root => Section(root, userPoolId)[clientId] is not null);

    /// <summary>Moves the client's secret into Secrets Manager (true) or back (false); nothing for a client without one.</summary>
    public void SetPublished(string userPoolId, string clientId, bool publish) =>
        context.Store.Change(root =>
        {
            if (Section(root, userPoolId)[clientId] is not JsonObject state)
            {
                return false;
            }

            if (!publish)
            {
                state.Remove("Published");
            }
            else if (state["Published"] is null)
            {
                Publish(state, userPoolId, clientId);
            }

            return true;
        });

    /// <summary>Adds <c>ClientSecret</c> (or <c>ClientSecretArn</c>) to a DescribeUserPoolClient view.</summary>
    public void AddTo(JsonObject view, string userPoolId, string clientId) =>
        context.Store.Read(root =>
        {
            if (Section(root, userPoolId)[clientId] is not JsonObject state)
            {
                return false;
            }

            if (state["Published"]?["Arn"]?.GetValue<string>() is { } arn)
            {
                view["ClientSecretArn"] = arn;
            }
            else if (First(state) is { } first)
            {
                view["ClientSecret"] = first["Value"]!.GetValue<string>();
            }

            return true;
        });

    /// <summary>A published secret by its ARN or name, for the local Secrets Manager.</summary>
    public ManagedSecret? Find(string secretId) =>
        context.Store.Read(root =>
        {
            foreach (var (userPoolId, pool) in root["pools"] as JsonObject ?? [])
            {
                foreach (var (clientId, state) in pool?["clientSecrets"] as JsonObject ?? [])
                {
                    if (state?["Published"] is JsonObject published && (published["Arn"]!.GetValue<string>() == secretId || published["Name"]!.GetValue<string>() == secretId))
                    {
                        var current = First((JsonObject)state) ?? (state["Secrets"] as JsonArray)?.LastOrDefault();
                        var value = new JsonObject { ["userPoolId"] = userPoolId, ["userPoolClientId"] = clientId, ["clientSecretValue"] = current?["Value"]?.GetValue<string>() };
                        var at = DateTimeOffset.FromUnixTimeMilliseconds((long)(published["CreatedDate"]!.GetValue<double>() * 1000));
                        return new ManagedSecret(published["Arn"]!.GetValue<string>(), published["Name"]!.GetValue<string>(), published["VersionId"]!.GetValue<string>(), value.ToJsonString(), at, at);
                    }
                }
            }

            return null;
        });

    private async Task<JsonObject> AddAsync(AppClients clients, FrontCall call, CancellationToken cancellationToken)
    {
        var body = ConfigurationContext.Body(call);
        var (userPoolId, clientId) = await ClientAsync(clients, body, cancellationToken);
        var custom = Requests.Optional(body, "ClientSecret", 64, Requests.ClientId());
        CheckCustom(custom);
        var reply = context.Store.Change(root =>
        {
            var state = Section(root, userPoolId)[clientId] as JsonObject
                ?? throw CognitoFault.Invalid($"App client {clientId} has no client secret: client secrets can only be added to a confidential app client.");
            var active = (JsonArray)state["Secrets"]!;
            if (active.Count >= MaxActiveSecrets)
            {
                throw CognitoFault.Limit($"Client secrets cannot exceed limit of {MaxActiveSecrets} secrets.");
            }

            var descriptor = NewSecret(clientId, custom, active);
            active.Add(descriptor);
            var described = Describe(descriptor);
            if (custom is null)
            {
                described["ClientSecretValue"] = descriptor["Value"]!.GetValue<string>();
            }

            return described;
        });

        return new JsonObject { ["ClientSecretDescriptor"] = reply };
    }

    private async Task<JsonObject> DeleteAsync(AppClients clients, FrontCall call, CancellationToken cancellationToken)
    {
        var body = ConfigurationContext.Body(call);
        var (userPoolId, clientId) = await ClientAsync(clients, body, cancellationToken);
        var secretId = Requests.Required(body, "ClientSecretId", 128);
        context.Store.Change(root =>
        {
            var active = Section(root, userPoolId)[clientId]?["Secrets"] as JsonArray ?? [];
            var secret = active.FirstOrDefault(s => s?["ClientSecretId"]?.GetValue<string>() == secretId)
                ?? throw CognitoFault.NotFound($"Client secret {secretId} does not exist.");
            if (active.Count == 1)
            {
                throw CognitoFault.Invalid("Cannot delete the only client secret.");
            }

            active.Remove(secret);
            return true;
        });
        return [];
    }

    private async Task<JsonObject> ListAsync(AppClients clients, FrontCall call, CancellationToken cancellationToken)
    {
        var body = ConfigurationContext.Body(call);
        var (userPoolId, clientId) = await ClientAsync(clients, body, cancellationToken);
        var descriptors = context.Store.Read(root => (Section(root, userPoolId)[clientId]?["Secrets"] as JsonArray ?? []).OfType<JsonObject>().Select(Describe).ToList());
        return new JsonObject { ["ClientSecrets"] = new JsonArray([.. descriptors]) };
    }

    private async Task<(string UserPoolId, string ClientId)> ClientAsync(AppClients clients, JsonObject body, CancellationToken cancellationToken)
    {
        var userPoolId = await context.PoolAsync(body, cancellationToken);
        var clientId = Requests.Required(body, "ClientId", 128, Requests.ClientId());
        await clients.RecordAsync(userPoolId, clientId, cancellationToken);
        return (userPoolId, clientId);
    }

    /// <summary>A new secret (generated when <paramref name="custom"/> is null) whose id no active secret has.</summary>
    private JsonObject NewSecret(string clientId, string? custom, JsonArray active)
    {
        var now = context.Time.GetUtcNow();
        var milliseconds = now.ToUnixTimeMilliseconds();
        while (active.Any(s => s?["ClientSecretId"]?.GetValue<string>() == Id(clientId, milliseconds)))
        {
            milliseconds++;
        }

        return new JsonObject
        {
            ["ClientSecretId"] = Id(clientId, milliseconds),
            ["ClientSecretCreateDate"] = Requests.Timestamp(DateTimeOffset.FromUnixTimeMilliseconds(milliseconds)),
            ["Value"] = custom ?? RandomNumberGenerator.GetString(Alphabet, 52),
        };
    }

    private static string Id(string clientId, long milliseconds) => string.Create(CultureInfo.InvariantCulture, $"{clientId}--{milliseconds}");

    private void Publish(JsonObject state, string userPoolId, string clientId)
    {
        var name = $"cognito-idp/{userPoolId}/{clientId}";
        state["Published"] = new JsonObject
        {
            ["Name"] = name,
            ["Arn"] = $"arn:aws:secretsmanager:{context.Region}:{LocalAws.Account}:secret:{name}-{RandomNumberGenerator.GetString("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789", 6)}",
            ["VersionId"] = Guid.NewGuid().ToString(),
            ["CreatedDate"] = context.Now(),
        };
    }

    /// <summary>The client's first secret while it is still active (the one DescribeUserPoolClient returns).</summary>
    private static JsonObject? First(JsonObject state) =>
        (state["Secrets"] as JsonArray ?? []).OfType<JsonObject>().FirstOrDefault(s => s["ClientSecretId"]?.GetValue<string>() == state["First"]?.GetValue<string>());

    private static JsonObject Describe(JsonObject secret) => new()
    {
        ["ClientSecretId"] = secret["ClientSecretId"]!.DeepClone(),
        ["ClientSecretCreateDate"] = secret["ClientSecretCreateDate"]!.DeepClone(),
    };

    private static JsonObject Section(JsonObject root, string userPoolId) => ConfigurationStore.Section(ConfigurationStore.Pool(root, userPoolId), "clientSecrets");
}
