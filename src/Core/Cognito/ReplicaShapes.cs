using System.Text.Json.Serialization;

namespace IdentityReplicator.Core.Cognito;

/// <summary>
/// The shapes of Cognito's native multi-Region replication operations, named and spelled as in the API model of the
/// AWS SDK for JavaScript v3 (3.1178.0): CreateUserPoolReplica, UpdateUserPoolReplica, DeleteUserPoolReplica and
/// ListUserPoolReplicas all answer with <see cref="UserPoolReplicaType"/>. Status and role stay strings (a value newer
/// than this code is carried, not refused); <see cref="ReplicaStatus"/> and <see cref="ReplicaRole"/> name the known ones.
/// </summary>
public sealed record UserPoolReplicaType(string? RegionName = null, string? Status = null, string? Role = null, string? UserPoolArn = null);

/// <summary>ReplicaStatusType: the replica's lifecycle. A new secondary starts <see cref="Inactive"/> (after <see cref="Creating"/>).</summary>
public static class ReplicaStatus
{
    public const string Creating = "CREATING";

    /// <summary>Created, answering administrators only, not end users.</summary>
    public const string Inactive = "INACTIVE";

    /// <summary>Answering end users and administrators.</summary>
    public const string Active = "ACTIVE";

    public const string Deleting = "DELETING";
}

/// <summary>ReplicaRoleType: which operations the Regional pool serves.</summary>
public static class ReplicaRole
{
    /// <summary>Serves every end-user and administrator operation.</summary>
    public const string Primary = "PRIMARY";

    /// <summary>Serves sign-in and the administration of its own Regional settings; refuses what creates or changes users.</summary>
    public const string Secondary = "SECONDARY";
}

internal sealed record CreateUserPoolReplicaRequest(string UserPoolId, string RegionName)
{
    /// <summary>Tags of the replica pool (replicas keep their tags independently).</summary>
    public IReadOnlyDictionary<string, string>? UserPoolTags { get; init; }
}

/// <summary>UpdateUserPoolReplica: <paramref name="Status"/> is <see cref="ReplicaStatus.Active"/> or <see cref="ReplicaStatus.Inactive"/>.</summary>
public sealed record UpdateUserPoolReplicaRequest(string UserPoolId, string RegionName, string Status);

/// <summary>DeleteUserPoolReplica: only an INACTIVE replica, called in the primary Region.</summary>
internal sealed record DeleteUserPoolReplicaRequest(string UserPoolId, string RegionName);

internal sealed record UserPoolReplicaResponse
{
    public UserPoolReplicaType? UserPoolReplica { get; init; }
}

internal sealed record ListUserPoolReplicasRequest(string UserPoolId, string? NextToken = null);

internal sealed record ListUserPoolReplicasResponse
{
    public IReadOnlyList<UserPoolReplicaType>? UserPoolReplicas { get; init; }

    public string? NextToken { get; init; }
}

/// <summary>Source-generated serialization for the replica shapes.</summary>
[JsonSourceGenerationOptions(DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(CreateUserPoolReplicaRequest))]
[JsonSerializable(typeof(UpdateUserPoolReplicaRequest))]
[JsonSerializable(typeof(DeleteUserPoolReplicaRequest))]
[JsonSerializable(typeof(UserPoolReplicaResponse))]
[JsonSerializable(typeof(ListUserPoolReplicasRequest))]
[JsonSerializable(typeof(ListUserPoolReplicasResponse))]
internal sealed partial class CognitoReplicaJsonContext : JsonSerializerContext;
