using Amazon.DynamoDBv2;
using Amazon.DynamoDBv2.Model;

namespace IdentityReplicator.Core.Mirror;

/// <summary>DynamoDB errors of the mirror table's stores as <see cref="MirrorStoreException"/>s that say what to do.</summary>
internal static class MirrorErrors
{
    public static MirrorStoreException Wrap(AmazonDynamoDBException e, string table, string action) => e switch
    {
        ResourceNotFoundException => new MirrorStoreException(
            $"Mirror table '{table}' does not exist in this Region (could not {action}); deploy the CDK stack or run 'idrep sandbox up', and check Mirror:TableName.", e),
        _ when e.ErrorCode is "AccessDeniedException" or "UnrecognizedClientException" => new MirrorStoreException(
            $"Not allowed to {action} in mirror table '{table}' ({e.ErrorCode}); grant this role the permissions in docs/permissions.md.", e),
        _ => new MirrorStoreException($"Could not {action} in mirror table '{table}': {e.ErrorCode}: {e.Message}", e),
    };
}
