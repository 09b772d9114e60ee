using System.Collections.Concurrent;
using System.Text.Json.Nodes;
using IdentityReplicator.Sandbox.Failover;
using IdentityReplicator.Sandbox.Proxy;

namespace IdentityReplicator.Sandbox.Cognito.Configuration;

/// <summary>What the configuration operations of one pool front share: its store, its emulator, its Region and clock.</summary>
internal sealed class ConfigurationContext(ConfigurationStore store, EmulatorForwarder emulator, string region, TimeProvider time)
{
    private readonly ConcurrentDictionary<string, bool> _knownPools = new(StringComparer.Ordinal);

    public ConfigurationStore Store { get; } = store;

    public EmulatorForwarder Emulator { get; } = emulator;

    public string Region { get; } = region;

    public TimeProvider Time { get; } = time;

    public JsonValue Now() => Requests.Timestamp(Time.GetUtcNow());

    /// <summary>The pool's ARN as Cognito writes it (cognito-local writes Region and account <c>local</c>).</summary>
    public string PoolArn(string userPoolId) => $"arn:aws:cognito-idp:{Region}:{LocalAws.Account}:userpool/{userPoolId}";

    /// <summary>The body as an object (an empty one when the request had none).</summary>
    public static JsonObject Body(FrontCall call) => call.Body as JsonObject ?? [];

    /// <summary>The request's <c>UserPoolId</c>, checked to name a pool the emulator has.</summary>
    public async Task<string> PoolAsync(JsonObject body, CancellationToken cancellationToken)
    {
        var userPoolId = Requests.Required(body, "UserPoolId", 55, Requests.UserPoolId());
        await EnsurePoolAsync(userPoolId, cancellationToken);
        return userPoolId;
    }

    public async Task EnsurePoolAsync(string userPoolId, CancellationToken cancellationToken)
    {
        if (_knownPools.ContainsKey(userPoolId))
        {
            return;
        }

        _ = await DescribePoolAsync(userPoolId, cancellationToken);
        _knownPools[userPoolId] = true;
    }

    /// <summary>The emulator's DescribeUserPool answer (its own view, before the front's settings are laid over it).</summary>
    public async Task<JsonObject> DescribePoolAsync(string userPoolId, CancellationToken cancellationToken)
    {
        var reply = await Emulator.SendAsync("DescribeUserPool", new JsonObject { ["UserPoolId"] = userPoolId }, cancellationToken);
        if (!reply.IsSuccess || JsonNode.Parse(reply.Body) is not JsonObject { } answer || answer["UserPool"] is not JsonObject pool)
        {
            throw CognitoFault.NotFound($"User pool {userPoolId} does not exist.");
        }

        answer.Remove("UserPool");
        return pool;
    }

    /// <summary>Forgets a pool the emulator deleted, with everything the front kept about it.</summary>
    public void Forget(string userPoolId)
    {
        _knownPools.TryRemove(userPoolId, out _);
        Store.Change(root =>
        {
            (root["pools"] as JsonObject)?.Remove(userPoolId);
            if (root["domains"] is JsonObject domains)
            {
                foreach (var name in domains.Where(d => d.Value?["UserPoolId"]?.GetValue<string>() == userPoolId).Select(d => d.Key).ToList())
                {
                    domains.Remove(name);
                }
            }

            return true;
        });
    }
}
