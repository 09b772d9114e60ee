using System.Text.Json.Nodes;

namespace IdentityReplicator.Core.EventBridge;

/// <summary>
/// The application hint <c>IdentityReplicator.UserChanged</c>: an application publishes it right after it changes a
/// user through the Cognito API, and the Replicator reads that user from the primary and records it — the
/// lowest-latency capture path for changes made by the application's own back end. See docs/application-hints.md.
/// </summary>
public static class UserChangedEvent
{
    public const string DetailType = "IdentityReplicator.UserChanged";
    public const string DefaultSource = "identity-replicator.app";

    /// <summary>The event detail: the pool, and the user by <c>sub</c> (preferred: no personal data) or username.</summary>
    public static JsonObject Detail(string userPoolId, string? username, string? sub)
    {
        if (string.IsNullOrWhiteSpace(userPoolId))
        {
            throw new ArgumentException("userPoolId is required: the id of the pool the user is in.", nameof(userPoolId));
        }

        if (string.IsNullOrWhiteSpace(username) && string.IsNullOrWhiteSpace(sub))
        {
            throw new ArgumentException("Name the user that changed by sub (preferred) or username.", nameof(sub));
        }

        var detail = new JsonObject { ["userPoolId"] = userPoolId };
        if (!string.IsNullOrWhiteSpace(sub))
        {
            detail["sub"] = sub;
        }

        if (!string.IsNullOrWhiteSpace(username))
        {
            detail["username"] = username;
        }

        return detail;
    }
}

/// <summary>Publishes <see cref="UserChangedEvent"/> hints with EventBridge PutEvents.</summary>
public sealed class UserChangedPublisher(EventBridgeClient client, string eventBusName = EventBridgeOptions.DefaultBusName, string source = UserChangedEvent.DefaultSource)
{
    /// <summary>Publishes one hint; throws <see cref="EventBridgeException"/> if EventBridge did not take it.</summary>
    public async Task PublishAsync(string userPoolId, string? username = null, string? sub = null, CancellationToken cancellationToken = default)
    {
        var response = await client.PutEventsAsync(
            new PutEventsRequest(
            [
                new PutEventsRequestEntry
                {
                    Source = source,
                    DetailType = UserChangedEvent.DetailType,
                    Detail = UserChangedEvent.Detail(userPoolId, username, sub).ToJsonString(),
                    EventBusName = eventBusName,
                },
            ]),
            cancellationToken);
        if (response.FailedEntryCount > 0)
        {
            var failed = response.Entries?.FirstOrDefault(e => e.ErrorCode is not null);
            throw new EventBridgeException($"EventBridge did not accept the UserChanged hint: {failed?.ErrorCode}: {failed?.ErrorMessage}");
        }
    }
}
