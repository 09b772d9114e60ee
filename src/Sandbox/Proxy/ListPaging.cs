using System.Collections.Concurrent;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using IdentityReplicator.Sandbox.Cognito;

namespace IdentityReplicator.Sandbox.Proxy;

/// <summary>
/// Pages listings as Cognito does: cognito-local 5.3.0 ignores <c>Limit</c> and pagination tokens (ListUsers) or
/// never pages (ListUsersInGroup, ListGroups, AdminListGroupsForUser). This interceptor asks the emulator for the
/// whole listing once, keeps it under a server-side cursor, and answers pages of at most <c>Limit</c> (at most and by
/// default 60) with a token for the next — so a listing of N users costs ⌈N/60⌉ calls, as against Cognito.
/// </summary>
internal sealed class ListPaging(EmulatorForwarder emulator, TimeProvider time) : ICognitoInterceptor
{
    private const int PageLimit = 60;
    private static readonly TimeSpan CursorLifetime = TimeSpan.FromMinutes(10);

    private static readonly Dictionary<string, (string TokenIn, string TokenOut, string Items)> Listings = new(StringComparer.Ordinal)
    {
        ["ListUsers"] = ("PaginationToken", "PaginationToken", "Users"),
        ["ListUsersInGroup"] = ("NextToken", "NextToken", "Users"),
        ["ListGroups"] = ("NextToken", "NextToken", "Groups"),
        ["AdminListGroupsForUser"] = ("NextToken", "NextToken", "Groups"),
    };

    private readonly ConcurrentDictionary<string, Cursor> _cursors = new(StringComparer.Ordinal);

    public async ValueTask<FrontReply?> BeforeAsync(FrontCall call, CancellationToken cancellationToken)
    {
        if (!Listings.TryGetValue(call.Operation, out var shape) || call.Body is not JsonObject body)
        {
            return null;
        }

        var limit = body["Limit"] is JsonValue l && l.TryGetValue<int>(out var requested) && requested is > 0 and <= PageLimit ? requested : PageLimit;
        var token = body[shape.TokenIn]?.GetValue<string>();
        Cursor? cursor = null;
        var offset = 0;
        if (token is not null && TryParse(token, out var id, out offset))
        {
            _cursors.TryGetValue(id, out cursor);
        }
        else if (token is not null)
        {
            return FrontReply.Error(400, "InvalidParameterException", "Invalid pagination token.");
        }

        JsonObject whole;
        if (cursor is null || cursor.ExpiresAt < time.GetUtcNow())
        {
            var request = (JsonObject)body.DeepClone();
            request.Remove("Limit");
            request.Remove(shape.TokenIn);
            var answer = await emulator.SendAsync(call.Operation, request, cancellationToken);
            if (!answer.IsSuccess)
            {
                return answer;
            }

            whole = JsonNode.Parse(answer.Body) as JsonObject ?? [];
            cursor = new Cursor(Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(8)), whole, time.GetUtcNow() + CursorLifetime);
        }
        else
        {
            whole = cursor.Listing;
        }

        var items = whole[shape.Items] as JsonArray ?? [];
        var page = new JsonArray([.. items.Skip(offset).Take(limit).Select(i => i?.DeepClone())]);
        var reply = new JsonObject { [shape.Items] = page };
        if (offset + limit < items.Count)
        {
            _cursors[cursor.Id] = cursor;
            reply[shape.TokenOut] = Token(cursor.Id, offset + limit);
        }
        else
        {
            _cursors.TryRemove(cursor.Id, out _);
        }

        return new FrontReply(200, Encoding.UTF8.GetBytes(reply.ToJsonString()));
    }

    public ValueTask AfterAsync(FrontCall call, FrontReply reply, CancellationToken cancellationToken) => ValueTask.CompletedTask;

    private static string Token(string id, int offset) =>
        Convert.ToBase64String(Encoding.UTF8.GetBytes(string.Create(CultureInfo.InvariantCulture, $"{id}:{offset}")));

    private static bool TryParse(string token, out string id, out int offset)
    {
        id = string.Empty;
        offset = 0;
        try
        {
            var parts = Encoding.UTF8.GetString(Convert.FromBase64String(token)).Split(':');
            if (parts.Length == 2 && int.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out offset))
            {
                id = parts[0];
                return true;
            }
        }
        catch (FormatException)
        {
            // Not one of ours.
        }

        return false;
    }

    private sealed record Cursor(string Id, JsonObject Listing, DateTimeOffset ExpiresAt);
}
