using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using IdentityReplicator.Core.Cognito;
using IdentityReplicator.Sandbox.Cognito.Configuration;
using IdentityReplicator.Sandbox.Proxy;

namespace IdentityReplicator.Sandbox.Cognito.NativeReplica;

/// <summary>
/// CreateUserPoolReplica, UpdateUserPoolReplica, DeleteUserPoolReplica and ListUserPoolReplicas, served by a pool's
/// front as Cognito answers them (shapes and errors from the AWS SDK for JavaScript v3 model, behaviour from the API
/// reference — docs/design/native-replication.md): one secondary per pool, in the sandbox's other Region; a Lite pool is
/// refused with FeatureUnavailableInTierException (Create only); a pool tagged <see cref="IneligibleTag"/> = <c>true</c>
/// stands for one not on Cognito's newer infrastructure and all four are refused with OperationNotEnabledException, as is Create or Delete called
/// in the secondary's Region. In the primary it also watches user writes to replicated pools, so the secondary can lag
/// (<see cref="NativeReplicaRegistry.RecordChange"/>), and learns the clients of replicated pools.
/// </summary>
internal sealed class ReplicaOperations(
    string region, string otherRegion, NativeReplicaRegistry registry, ConfigurationFront configuration, EmulatorForwarder emulator) : ICognitoInterceptor
{
    /// <summary>A sandbox-only pool tag: a pool carrying it with the value <c>true</c> cannot have a native replica.</summary>
    public const string IneligibleTag = "idrep:sandbox:previous-infrastructure";

    private const string BeforeKey = "native-replica.before";

    private static readonly HashSet<string> UserWrites = new(StringComparer.Ordinal)
    {
        "AdminCreateUser", "AdminUpdateUserAttributes", "AdminDeleteUserAttributes", "AdminDeleteUser", "AdminDisableUser", "AdminEnableUser",
        "AdminAddUserToGroup", "AdminRemoveUserFromGroup", "AdminConfirmSignUp", "AdminSetUserPassword", "AdminResetUserPassword", "SignUp", "ConfirmSignUp",
    };

    public async ValueTask<FrontReply?> BeforeAsync(FrontCall call, CancellationToken cancellationToken)
    {
        try
        {
            if (call.Operation is "CreateUserPoolReplica" or "UpdateUserPoolReplica" or "DeleteUserPoolReplica" or "ListUserPoolReplicas"
                && call.UserPoolId is { } candidate && registry.Find(candidate)?.SecondaryRegion != region && (await configuration.PoolSettingsAsync(candidate, cancellationToken))["UserPoolTags"]?[IneligibleTag]?.GetValue<string>() == "true")
            {
                throw new CognitoFault("OperationNotEnabledException", "Multi-Region replication is not available for this user pool.");
            }

            switch (call.Operation)
            {
                case "CreateUserPoolReplica":
                    return Reply(await CreateAsync(Body(call), cancellationToken));
                case "UpdateUserPoolReplica":
                    return Reply(Update(Body(call)));
                case "DeleteUserPoolReplica":
                    return Reply(Delete(Body(call)));
                case "ListUserPoolReplicas":
                    return Ok(List(Body(call)));
            }
        }
        catch (CognitoFault fault)
        {
            return fault.ToReply();
        }

        if (UserWrites.Contains(call.Operation) && Username(call) is { } username && call.UserPoolId is { } pool && registry.Find(pool) is { } replica && replica.PrimaryRegion == region)
        {
            call.Items[BeforeKey] = await ReadUserAsync(pool, username, cancellationToken) ?? new JsonObject { ["missing"] = true };
        }

        return null;
    }

    public async ValueTask AfterAsync(FrontCall call, FrontReply reply, CancellationToken cancellationToken)
    {
        if (!reply.IsSuccess)
        {
            return;
        }

        if (call.Operation == "CreateUserPoolClient" && call.UserPoolId is { } clientPool
            && (JsonNode.Parse(reply.Body)?["UserPoolClient"]?["ClientId"]?.GetValue<string>()) is { } clientId)
        {
            registry.RegisterClient(clientId, clientPool);
        }

        if (call.Items.TryGetValue(BeforeKey, out var saved) && saved is JsonObject before && call.UserPoolId is { } pool && Username(call) is { } username)
        {
            var after = await ReadUserAsync(pool, username, cancellationToken);
            var known = before["missing"] is null ? before : null;
            string?[] keys = [username, (string?)known?["Username"], (string?)after?["Username"], Attribute(known, "email"), Attribute(after, "email"), Attribute(known ?? after, "sub")];
            registry.RecordChange(pool, keys.OfType<string>(), known);
        }
    }

    private async Task<JsonObject> CreateAsync(JsonObject body, CancellationToken cancellationToken)
    {
        var pool = Required(body, "UserPoolId");
        var target = Required(body, "RegionName");
        if (registry.Find(pool) is { } existing && existing.SecondaryRegion == region)
        {
            throw new CognitoFault("OperationNotEnabledException", "CreateUserPoolReplica must be called in the primary Region of the user pool.");
        }

        var settings = await configuration.PoolSettingsAsync(pool, cancellationToken);
        if (settings["UserPoolTier"]?.GetValue<string>() == "LITE")
        {
            throw new CognitoFault("FeatureUnavailableInTierException", "Multi-Region replication requires the Essentials or Plus feature plan.");
        }

        if (target == region || target != otherRegion)
        {
            throw CognitoFault.Invalid($"RegionName {target} cannot hold a replica of a user pool in {region}; the sandbox's other Region is {otherRegion}.");
        }

        if (!registry.TryAdd(pool, region, target, ReplicaStatus.Creating))
        {
            throw CognitoFault.Limit("The user pool already has a replica; a user pool can have at most one secondary replica.");
        }

        return Secondary(registry.Find(pool)!);
    }

    private JsonObject Update(JsonObject body)
    {
        var pool = Required(body, "UserPoolId");
        var target = Required(body, "RegionName");
        Requests.OneOf(body, "Status", ReplicaStatus.Active, ReplicaStatus.Inactive);
        var status = Required(body, "Status");
        var replica = registry.Find(pool);
        if (replica is null || replica.SecondaryRegion != target || replica.Status is ReplicaStatus.Creating or ReplicaStatus.Deleting)
        {
            throw CognitoFault.NotFound($"User pool {pool} has no replica in {target} that can be updated.");
        }

        return Secondary(registry.SetStatus(pool, status));
    }

    private JsonObject Delete(JsonObject body)
    {
        var pool = Required(body, "UserPoolId");
        var target = Required(body, "RegionName");
        var replica = registry.Find(pool);
        if (replica is null || replica.SecondaryRegion != target)
        {
            throw CognitoFault.NotFound($"User pool {pool} has no replica in {target}.");
        }

        if (replica.SecondaryRegion == region)
        {
            throw new CognitoFault("OperationNotEnabledException", "DeleteUserPoolReplica must be called in the primary Region of the user pool.");
        }

        if (replica.Status != ReplicaStatus.Inactive)
        {
            throw CognitoFault.Invalid($"Only an INACTIVE replica can be deleted; the replica in {target} is {replica.Status}.");
        }

        registry.Remove(pool);
        return Secondary(replica with { Status = ReplicaStatus.Deleting });
    }

    private JsonObject List(JsonObject body)
    {
        var pool = Required(body, "UserPoolId");
        var replicas = new JsonArray();
        if (registry.Find(pool) is { } replica)
        {
            replicas.Add(Shape(replica.PrimaryRegion, ReplicaStatus.Active, ReplicaRole.Primary, pool));
            replicas.Add(Secondary(replica));
        }

        return new JsonObject { ["UserPoolReplicas"] = replicas };
    }

    private async Task<JsonObject?> ReadUserAsync(string pool, string username, CancellationToken cancellationToken)
    {
        var reply = await emulator.SendAsync("AdminGetUser", new JsonObject { ["UserPoolId"] = pool, ["Username"] = username }, cancellationToken);
        return reply.IsSuccess ? JsonNode.Parse(reply.Body) as JsonObject : null;
    }

    private static string? Username(FrontCall call) => call.Body?["Username"] is JsonValue value && value.GetValueKind() == JsonValueKind.String ? value.GetValue<string>() : null;

    private static string? Attribute(JsonObject? user, string name) =>
        (user?["UserAttributes"] as JsonArray)?.OfType<JsonObject>().FirstOrDefault(a => (string?)a["Name"] == name)?["Value"]?.GetValue<string>();

    private static JsonObject Secondary(NativeReplicaRegistry.Replica replica) =>
        Shape(replica.SecondaryRegion, replica.Status, ReplicaRole.Secondary, replica.UserPoolId);

    private static JsonObject Shape(string replicaRegion, string status, string role, string pool) => new()
    {
        ["RegionName"] = replicaRegion,
        ["Status"] = status,
        ["Role"] = role,
        ["UserPoolArn"] = $"arn:aws:cognito-idp:{replicaRegion}:{Failover.LocalAws.Account}:userpool/{pool}",
    };

    private static JsonObject Body(FrontCall call) => call.Body as JsonObject ?? [];

    private static string Required(JsonObject body, string member) =>
        body[member] is JsonValue value && value.GetValueKind() == JsonValueKind.String && value.GetValue<string>() is { Length: > 0 } text
            ? text
            : throw CognitoFault.Invalid($"1 validation error detected: Value at '{char.ToLowerInvariant(member[0])}{member[1..]}' failed to satisfy constraint: Member must not be null");

    private static FrontReply Reply(JsonObject replica) => Ok(new JsonObject { ["UserPoolReplica"] = replica });

    private static FrontReply Ok(JsonObject body) => new(200, Encoding.UTF8.GetBytes(body.ToJsonString()));
}
