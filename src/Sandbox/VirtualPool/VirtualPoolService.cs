using System.Buffers;
using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using IdentityReplicator.Sandbox.Cognito;

namespace IdentityReplicator.Sandbox.VirtualPool;

/// <summary>
/// A synthetic Cognito user pool for benchmarks: answers the read operations replication lists and reads with —
/// DescribeUserPool, ListUsers (pages of at most 60, <c>PaginationToken</c>, <c>=</c> filters on <c>sub</c>,
/// <c>username</c> and <c>email</c>), ListUsersInGroup, ListGroups, AdminGetUser and AdminListGroupsForUser — shaped
/// as the API model says, over <see cref="VirtualUsers"/> computed on demand. It is the last interceptor of its front
/// (after faults and quotas), so calls are metered as against Cognito. Every other operation is refused with
/// <c>UnsupportedOperationException</c>: the pool is read-only.
/// </summary>
internal sealed partial class VirtualPoolService(VirtualUsers users, string poolId, string region) : ICognitoInterceptor
{
    private const int PageLimit = 60;

    public string PoolId { get; } = poolId;

    public ValueTask<FrontReply?> BeforeAsync(FrontCall call, CancellationToken cancellationToken)
    {
        var body = call.Body as JsonObject ?? [];
        FrontReply reply;
        try
        {
            reply = call.Operation switch
            {
                "DescribeUserPool" or "ListUsers" or "ListUsersInGroup" or "ListGroups" or "AdminGetUser" or "AdminListGroupsForUser"
                    when !string.Equals(call.UserPoolId, PoolId, StringComparison.Ordinal)
                    => FrontReply.Error(400, "ResourceNotFoundException", $"User pool {call.UserPoolId} does not exist."),
                "DescribeUserPool" => Json(DescribeUserPool),
                "ListUsers" => ListUsers(body),
                "ListUsersInGroup" => ListUsersInGroup(body),
                "ListGroups" => ListGroups(body),
                "AdminGetUser" => AdminGetUser(body),
                "AdminListGroupsForUser" => AdminListGroupsForUser(body),
                _ => FrontReply.Error(400, "UnsupportedOperationException", $"The virtual pool serves only reads; {call.Operation} is not one of them."),
            };
        }
        catch (InvalidParameter e)
        {
            reply = FrontReply.Error(400, "InvalidParameterException", e.Message);
        }

        return ValueTask.FromResult<FrontReply?>(reply);
    }

    public ValueTask AfterAsync(FrontCall call, FrontReply reply, CancellationToken cancellationToken) => ValueTask.CompletedTask;

    private void DescribeUserPool(Utf8JsonWriter json)
    {
        json.WriteStartObject("UserPool");
        json.WriteString("Id", PoolId);
        json.WriteString("Name", "idrep-virtual-" + users.Side.ToString().ToLowerInvariant());
        json.WriteString("Arn", $"arn:aws:cognito-idp:{region}:000000000000:userpool/{PoolId}");
        json.WriteNumber("CreationDate", VirtualUsers.Epoch);
        json.WriteNumber("LastModifiedDate", VirtualUsers.Epoch);
        json.WriteNumber("EstimatedNumberOfUsers", users.Count);
        json.WriteString("MfaConfiguration", "OFF");
        json.WriteStartObject("Policies");
        json.WriteStartObject("PasswordPolicy");
        json.WriteNumber("MinimumLength", 8);
        json.WriteEndObject();
        json.WriteEndObject();
        json.WriteStartObject("UsernameConfiguration");
        json.WriteBoolean("CaseSensitive", false);
        json.WriteEndObject();
        json.WriteStartArray("SchemaAttributes");
        foreach (var (name, mutable, required) in new[] { ("sub", false, true), ("email", true, false), ("email_verified", true, false), ("given_name", true, false) })
        {
            json.WriteStartObject();
            json.WriteString("Name", name);
            json.WriteString("AttributeDataType", name == "email_verified" ? "Boolean" : "String");
            json.WriteBoolean("DeveloperOnlyAttribute", false);
            json.WriteBoolean("Mutable", mutable);
            json.WriteBoolean("Required", required);
            json.WriteEndObject();
        }

        foreach (var name in new[] { "custom:tier", "custom:" + Core.Configuration.ReplicationOptions.PrimarySubSchemaAttribute })
        {
            json.WriteStartObject();
            json.WriteString("Name", name);
            json.WriteString("AttributeDataType", "String");
            json.WriteBoolean("DeveloperOnlyAttribute", false);
            json.WriteBoolean("Mutable", true);
            json.WriteBoolean("Required", false);
            json.WriteStartObject("StringAttributeConstraints");
            json.WriteString("MinLength", "0");
            json.WriteString("MaxLength", "256");
            json.WriteEndObject();
            json.WriteEndObject();
        }

        json.WriteEndArray();
        json.WriteEndObject();
    }

    private FrontReply ListUsers(JsonObject body)
    {
        var limit = Limit(body);
        if (body["Filter"]?.GetValue<string>() is { Length: > 0 } filter)
        {
            var found = Filtered(filter);
            return Json(json => WriteUsers(json, "Users", found is null ? [] : [found], attributeKey: "Attributes"));
        }

        var from = Offset(body, "PaginationToken", "u");
        var page = new List<VirtualUser>(limit);
        var next = from;
        for (; next < users.Count && page.Count < limit; next++)
        {
            if (users.User(next) is { } user)
            {
                page.Add(user);
            }
        }

        return Json(json =>
        {
            WriteUsers(json, "Users", page, attributeKey: "Attributes");
            if (next < users.Count)
            {
                json.WriteString("PaginationToken", Token("u", next));
            }
        });
    }

    private FrontReply ListUsersInGroup(JsonObject body)
    {
        var group = users.IndexOfGroup(body["GroupName"]?.GetValue<string>() ?? string.Empty);
        if (group < 0)
        {
            return FrontReply.Error(400, "ResourceNotFoundException", "Group not found.");
        }

        var limit = Limit(body);
        var page = new List<VirtualUser>(limit);
        var next = users.Count;
        foreach (var member in users.MembersOf(group, Offset(body, "NextToken", "g" + group.ToString(CultureInfo.InvariantCulture))))
        {
            if (page.Count == limit)
            {
                next = member.Index;
                break;
            }

            page.Add(member);
        }

        return Json(json =>
        {
            WriteUsers(json, "Users", page, attributeKey: "Attributes");
            if (next < users.Count)
            {
                json.WriteString("NextToken", Token("g" + group.ToString(CultureInfo.InvariantCulture), next));
            }
        });
    }

    private FrontReply ListGroups(JsonObject body)
    {
        var limit = Limit(body);
        var from = Offset(body, "NextToken", "l");
        var to = Math.Min(users.GroupCount, from + limit);
        return Json(json =>
        {
            json.WriteStartArray("Groups");
            for (var g = from; g < to; g++)
            {
                WriteGroup(json, g);
            }

            json.WriteEndArray();
            if (to < users.GroupCount)
            {
                json.WriteString("NextToken", Token("l", to));
            }
        });
    }

    private FrontReply AdminGetUser(JsonObject body)
    {
        if (Named(body) is not { } user)
        {
            return FrontReply.Error(400, "UserNotFoundException", "User does not exist.");
        }

        return Json(json =>
        {
            json.WriteString("Username", user.Username);
            WriteAttributes(json, "UserAttributes", user);
            WriteUserFields(json, user);
        });
    }

    private FrontReply AdminListGroupsForUser(JsonObject body)
    {
        if (Named(body) is not { } user)
        {
            return FrontReply.Error(400, "UserNotFoundException", "User does not exist.");
        }

        _ = Limit(body);
        return Json(json =>
        {
            json.WriteStartArray("Groups");
            if (user.Group is { } g)
            {
                WriteGroup(json, g);
            }

            json.WriteEndArray();
        });
    }

    private VirtualUser? Named(JsonObject body) => users.User(users.IndexOfUsername(body["Username"]?.GetValue<string>() ?? string.Empty));

    /// <summary>The one user an equality filter names (the product filters by <c>sub</c>; operators by username or email).</summary>
    private VirtualUser? Filtered(string filter)
    {
        var match = FilterPattern().Match(filter);
        if (!match.Success)
        {
            throw new InvalidParameter($"The virtual pool serves filters of the form attribute = \"value\" on sub, username or email; '{filter}' is not one.");
        }

        var value = match.Groups["value"].Value;
        var index = match.Groups["name"].Value switch
        {
            "sub" => users.IndexOfSub(value),
            "username" => users.IndexOfUsername(value),
            "email" when value.EndsWith("@example.com", StringComparison.OrdinalIgnoreCase) => users.IndexOfUsername(value[..^"@example.com".Length]),
            "email" => -1,
            var other => throw new InvalidParameter($"The virtual pool does not filter on '{other}'; use sub, username or email."),
        };
        return users.User(index);
    }

    private static int Limit(JsonObject body)
    {
        if (body["Limit"] is not JsonValue value)
        {
            return PageLimit;
        }

        return value.TryGetValue<int>(out var limit) && limit is >= 0 and <= PageLimit
            ? (limit == 0 ? PageLimit : limit)
            : throw new InvalidParameter($"1 validation error detected: Value at 'limit' failed to satisfy constraint: Member must have value less than or equal to {PageLimit}");
    }

    private static int Offset(JsonObject body, string member, string listing)
    {
        if (body[member]?.GetValue<string>() is not { } token)
        {
            return 0;
        }

        try
        {
            var parts = Encoding.UTF8.GetString(Convert.FromBase64String(token)).Split(':');
            if (parts.Length == 2 && parts[0] == listing && int.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out var offset))
            {
                return offset;
            }
        }
        catch (FormatException)
        {
            // Not one of ours: answered below.
        }

        throw new InvalidParameter("Invalid pagination token.");
    }

    private static string Token(string listing, int offset) =>
        Convert.ToBase64String(Encoding.UTF8.GetBytes(string.Create(CultureInfo.InvariantCulture, $"{listing}:{offset}")));

    private static void WriteUsers(Utf8JsonWriter json, string member, IEnumerable<VirtualUser> page, string attributeKey)
    {
        json.WriteStartArray(member);
        foreach (var user in page)
        {
            json.WriteStartObject();
            json.WriteString(Names.Username, user.Username);
            WriteAttributes(json, attributeKey, user);
            WriteUserFields(json, user);
            json.WriteEndObject();
        }

        json.WriteEndArray();
    }

    /// <summary>The user's attributes in <see cref="VirtualUser.Attributes"/>' order, written field by field (a page holds 60 users, a run millions).</summary>
    private static void WriteAttributes(Utf8JsonWriter json, string member, VirtualUser user)
    {
        json.WriteStartArray(member);
        WriteAttribute(json, Names.Sub, user.Sub);
        WriteAttribute(json, Names.Email, user.Email);
        WriteAttribute(json, Names.EmailVerified, "true");
        WriteAttribute(json, Names.GivenName, user.GivenName);
        WriteAttribute(json, Names.Tier, user.Tier);
        json.WriteEndArray();
    }

    private static void WriteAttribute(Utf8JsonWriter json, JsonEncodedText name, string value)
    {
        json.WriteStartObject();
        json.WriteString(Names.Name, name);
        json.WriteString(Names.Value, value);
        json.WriteEndObject();
    }

    private static void WriteUserFields(Utf8JsonWriter json, VirtualUser user)
    {
        json.WriteNumber(Names.UserCreateDate, user.CreatedAt);
        json.WriteNumber(Names.UserLastModifiedDate, user.CreatedAt);
        json.WriteBoolean(Names.Enabled, user.Enabled);
        json.WriteString(Names.UserStatus, user.Status);
    }

    private void WriteGroup(Utf8JsonWriter json, int group)
    {
        json.WriteStartObject();
        json.WriteString("GroupName", VirtualUsers.GroupName(group));
        json.WriteString("UserPoolId", PoolId);
        json.WriteString("Description", string.Create(CultureInfo.InvariantCulture, $"Virtual group {group}"));
        json.WriteNumber("Precedence", group);
        json.WriteNumber("CreationDate", VirtualUsers.Epoch);
        json.WriteNumber("LastModifiedDate", VirtualUsers.Epoch);
        json.WriteEndObject();
    }

    /// <summary>One reply body, written into a buffer and writer the thread keeps (a million-user run writes about 35,000 pages).</summary>
    private static FrontReply Json(Action<Utf8JsonWriter> write)
    {
        var page = _page ??= new PageWriter();
        page.Buffer.ResetWrittenCount();
        page.Writer.Reset(page.Buffer);
        page.Writer.WriteStartObject();
        write(page.Writer);
        page.Writer.WriteEndObject();
        page.Writer.Flush();
        return new FrontReply(200, page.Buffer.WrittenSpan.ToArray());
    }

    [ThreadStatic]
    private static PageWriter? _page;

    private sealed class PageWriter
    {
        public ArrayBufferWriter<byte> Buffer { get; } = new(32 * 1024);

        public Utf8JsonWriter Writer { get; }

        public PageWriter() => Writer = new Utf8JsonWriter(Buffer, new JsonWriterOptions { SkipValidation = true });
    }

    /// <summary>Property and attribute names, encoded once.</summary>
    private static class Names
    {
        public static readonly JsonEncodedText Username = JsonEncodedText.Encode("Username");
        public static readonly JsonEncodedText Name = JsonEncodedText.Encode("Name");
        public static readonly JsonEncodedText Value = JsonEncodedText.Encode("Value");
        public static readonly JsonEncodedText Sub = JsonEncodedText.Encode("sub");
        public static readonly JsonEncodedText Email = JsonEncodedText.Encode("email");
        public static readonly JsonEncodedText EmailVerified = JsonEncodedText.Encode("email_verified");
        public static readonly JsonEncodedText GivenName = JsonEncodedText.Encode("given_name");
        public static readonly JsonEncodedText Tier = JsonEncodedText.Encode("custom:tier");
        public static readonly JsonEncodedText UserCreateDate = JsonEncodedText.Encode("UserCreateDate");
        public static readonly JsonEncodedText UserLastModifiedDate = JsonEncodedText.Encode("UserLastModifiedDate");
        public static readonly JsonEncodedText Enabled = JsonEncodedText.Encode("Enabled");
        public static readonly JsonEncodedText UserStatus = JsonEncodedText.Encode("UserStatus");
    }

    [GeneratedRegex("""^\s*(?<name>[a-z_:]+)\s*=\s*"(?<value>[^"]*)"\s*$""")]
    private static partial Regex FilterPattern();

    private sealed class InvalidParameter(string message) : Exception(message);
}
