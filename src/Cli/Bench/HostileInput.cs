using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;
using IdentityReplicator.Core.EventBridge;
using IdentityReplicator.Replicator.Capture;

namespace IdentityReplicator.Cli.Bench;

/// <summary>The sorts of hostile input the chaos benchmark injects, and the capture path each one takes.</summary>
internal enum HostileKind
{
    /// <summary>A CloudTrail record whose username has 2,048 characters (Cognito allows 128).</summary>
    LongUsername,

    /// <summary>A CloudTrail record whose username holds a space, a control character or a lone surrogate.</summary>
    UnprintableUsername,

    /// <summary>A CloudTrail record naming its user by a <c>sub</c> that is not a UUID.</summary>
    InvalidSub,

    /// <summary>A CloudTrail record of a group operation whose group name has 2,048 characters.</summary>
    LongGroupName,

    /// <summary>A CloudTrail record of the primary pool naming, by a valid username, a user that never existed.</summary>
    NeverExistedUser,

    /// <summary>A CloudTrail record of the primary pool naming, by a UUID, a user that never existed.</summary>
    NeverExistedSub,

    /// <summary>A self-service call (no pool named) by a <c>sub</c> no user of the pool ever had: another pool's user.</summary>
    OtherPoolsUser,

    /// <summary>A CloudTrail record of a group operation naming a group that never existed.</summary>
    NeverExistedGroup,

    /// <summary>A CloudTrail record without a usable event name or request parameters.</summary>
    MalformedRecord,

    /// <summary>An application hint naming its user by an identifier Cognito would refuse.</summary>
    InvalidHint,

    /// <summary>An application hint naming a user that never existed.</summary>
    NeverExistedHint,

    /// <summary>An application hint without its pool or its user.</summary>
    MalformedHint,

    /// <summary>A trigger payload whose <c>request</c> is <c>"x"</c>.</summary>
    TriggerRequestNotObject,

    /// <summary>A trigger payload with the same key twice in one object.</summary>
    TriggerDuplicateKey,

    /// <summary>A trigger payload with a lone surrogate escape (<c>\ud800</c>) in a string.</summary>
    TriggerLoneSurrogate,

    /// <summary>A trigger payload with bytes that are not UTF-8 inside a string.</summary>
    TriggerInvalidUtf8,
}

/// <summary>An EventBridge event to publish: what PutEvents would be given.</summary>
internal sealed record HostileEvent(string Source, string DetailType, JsonObject Detail);

/// <summary>
/// One hostile delivery, injected once the application has made <see cref="AfterWrites"/> writes: an event for the
/// event bus (<see cref="Event"/>), or the raw bytes of a trigger invocation for the Lambda Invoke endpoint
/// (<see cref="Trigger"/>). Every identity it names is made up (<c>hostile-…</c>, or a fresh UUID): none is a user or
/// group the application ever creates, so any mirror item for one was written because of hostile input.
/// </summary>
internal sealed record HostileInput(int AfterWrites, HostileKind Kind, HostileEvent? Event, byte[]? Trigger);

/// <summary>
/// The benchmark's hostile stream, generated from a seed: a share of the application's writes, spread at random over
/// them, the sorts taken in turn so that even a short stream has each (issue 10's defects 4 and 5: oversized and
/// invalid identifiers, users and groups that never existed, malformed records, hints and trigger payloads).
/// </summary>
internal static class HostilePlan
{
    public const string Prefix = "hostile-";

    private const string HintSource = UserChangedEvent.DefaultSource;
    private static readonly string[] UserEvents = ["AdminUpdateUserAttributes", "AdminDisableUser", "AdminDeleteUser", "AdminAddUserToGroup", "AdminEnableUser"];
    private static readonly string[] GroupEvents = ["CreateGroup", "UpdateGroup", "DeleteGroup"];
    private static readonly string[] SelfServiceEvents = ["DeleteUser", "UpdateUserAttributes", "VerifyUserAttribute"];
    private static readonly string[] TriggerSources = ["PostConfirmation_ConfirmSignUp", "PostAuthentication_Authentication", "TokenGeneration_Authentication", "PreSignUp_SignUp"];
    private static readonly byte[][] InvalidUtf8 = [[0xFF], [0xC0, 0x80], [0xED, 0xA0, 0x80], [0x80], [0xE2, 0x82], [0xF4, 0x90, 0x80, 0x80]];

    /// <summary>How many hostile deliveries a share of <paramref name="writes"/> is: at least one when the share is above 0.</summary>
    public static int CountFor(double share, int writes) =>
        share <= 0 || writes <= 0 ? 0 : Math.Max(1, (int)Math.Round(writes * share, MidpointRounding.AwayFromZero));

    /// <summary>
    /// <paramref name="count"/> hostile deliveries against the pools <paramref name="primaryPoolId"/> and
    /// <paramref name="standbyPoolId"/>, each after a random number of the application's <paramref name="writes"/>, in order.
    /// </summary>
    public static IReadOnlyList<HostileInput> Generate(int count, int writes, string primaryPoolId, string standbyPoolId, int seed)
    {
        var random = new Random(seed);
        var kinds = Enum.GetValues<HostileKind>();
        var inputs = new List<HostileInput>(count);
        for (var i = 0; i < count; i++)
        {
            var kind = kinds[i % kinds.Length];
            var after = writes <= 0 ? 0 : random.Next(writes);
            inputs.Add(Make(kind, i, after, random, primaryPoolId, standbyPoolId));
        }

        return [.. inputs.OrderBy(h => h.AfterWrites)];
    }

    private static HostileInput Make(HostileKind kind, int n, int after, Random random, string primary, string standby)
    {
        var name = string.Create(CultureInfo.InvariantCulture, $"{Prefix}{n:D5}");

        // Drawn apart, so that no event name or trigger source goes with one variant of a defect or one pool only.
        var choice = random.Next(int.MaxValue);
        var pick = random.Next(int.MaxValue);
        var pool = random.Next(4);
        string Pick(string[] from) => from[choice % from.Length];
        HostileInput Event(JsonObject detail, string source = CloudTrailEvent.Source, string detailType = CloudTrailEvent.DetailType) =>
            new(after, kind, new HostileEvent(source, detailType, detail), null);
        HostileInput Trigger(byte[] payload) => new(after, kind, null, payload);

        return kind switch
        {
            HostileKind.LongUsername => Event(CloudTrail(random, Pick(UserEvents), primary, username: Long(name), sub: null, group: null)),
            HostileKind.UnprintableUsername => Event(CloudTrail(random, Pick(UserEvents), primary, username: Unprintable(name, pick), sub: null, group: null)),
            HostileKind.InvalidSub => Event(CloudTrail(random, Pick(UserEvents), primary, username: null, sub: pick % 2 == 0 ? name : Long(name), group: null)),
            HostileKind.LongGroupName => Event(CloudTrail(random, Pick(GroupEvents), primary, username: null, sub: null, group: Long(name))),
            HostileKind.NeverExistedUser => Event(CloudTrail(random, Pick(UserEvents), primary, username: name, sub: null, group: null)),
            HostileKind.NeverExistedSub => Event(CloudTrail(random, Pick(UserEvents), primary, username: null, sub: Uuid(random), group: null)),
            HostileKind.OtherPoolsUser => Event(CloudTrail(random, Pick(SelfServiceEvents), poolId: null, username: null, sub: Uuid(random), group: null)),
            HostileKind.NeverExistedGroup => Event(CloudTrail(random, Pick(GroupEvents), primary, username: null, sub: null, group: name)),
            HostileKind.MalformedRecord => Event(Malformed(pick, primary)),
            HostileKind.InvalidHint => Event(Hint(primary, pick % 2 == 0 ? Long(name) : null, pick % 2 == 0 ? null : name), HintSource, UserChangedEvent.DetailType),
            HostileKind.NeverExistedHint => Event(Hint(primary, pick % 2 == 0 ? name : null, pick % 2 == 0 ? null : Uuid(random)), HintSource, UserChangedEvent.DetailType),
            HostileKind.MalformedHint => Event(pick % 2 == 0 ? new JsonObject { ["userPoolId"] = primary } : new JsonObject { ["username"] = name }, HintSource, UserChangedEvent.DetailType),
            HostileKind.TriggerRequestNotObject => Trigger(TriggerPayload(Pick(TriggerSources), TriggerPool(pool, primary, standby), Json(name), "\"x\"")),
            HostileKind.TriggerDuplicateKey => Trigger(TriggerPayload(Pick(TriggerSources), TriggerPool(pool, primary, standby), $"{Json(name)}, \"userName\": {Json(name + "-again")}", Request(name, Uuid(random)))),
            HostileKind.TriggerLoneSurrogate => Trigger(TriggerPayload(Pick(TriggerSources), TriggerPool(pool, primary, standby), $"\"{name}\\ud800\"", Request(name, Uuid(random)))),
            HostileKind.TriggerInvalidUtf8 => Trigger(WithInvalidUtf8(TriggerPayload(Pick(TriggerSources), TriggerPool(pool, primary, standby), $"\"{name}@@\"", Request(name, Uuid(random))), InvalidUtf8[pick % InvalidUtf8.Length])),
            _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, "Unknown hostile kind."),
        };
    }

    /// <summary>2,048 characters: sixteen times Cognito's limit.</summary>
    private static string Long(string name) => name + new string('x', 2048 - name.Length);

    private static string Unprintable(string name, int pick) => (pick % 3) switch
    {
        0 => name.Replace('-', ' '),
        1 => name + "\u0000",
        _ => name + "\ud800",
    };

    private static string Uuid(Random random)
    {
        Span<byte> bytes = stackalloc byte[16];
        random.NextBytes(bytes);
        return new Guid(bytes).ToString("D");
    }

    /// <summary>A record as CloudTrail writes Cognito's (EventBridge's detail): usernames redacted unless given.</summary>
    private static JsonObject CloudTrail(Random random, string eventName, string? poolId, string? username, string? sub, string? group)
    {
        var request = new JsonObject();
        if (poolId is not null)
        {
            request["userPoolId"] = poolId;
        }

        if (group is null || username is not null || sub is not null)
        {
            request["username"] = username ?? CloudTrailEvent.Redacted;
        }

        if (group is not null)
        {
            request["groupName"] = group;
        }

        var detail = new JsonObject
        {
            ["eventVersion"] = "1.08",
            ["eventSource"] = "cognito-idp.amazonaws.com",
            ["eventName"] = eventName,
            ["requestParameters"] = request,
            ["eventID"] = Uuid(random),
            ["eventType"] = "AwsApiCall",
            ["managementEvent"] = true,
        };
        if (sub is not null)
        {
            detail["additionalEventData"] = new JsonObject { ["sub"] = sub };
        }

        return detail;
    }

    /// <summary>No event name, an event name that is not text, or request parameters that are not an object.</summary>
    private static JsonObject Malformed(int pick, string primary) => (pick % 3) switch
    {
        0 => new JsonObject { ["eventSource"] = "cognito-idp.amazonaws.com", ["requestParameters"] = new JsonObject { ["userPoolId"] = primary } },
        1 => new JsonObject { ["eventSource"] = "cognito-idp.amazonaws.com", ["eventName"] = 42 },
        _ => new JsonObject { ["eventSource"] = "cognito-idp.amazonaws.com", ["eventName"] = "AdminDeleteUser", ["requestParameters"] = "x" },
    };

    private static JsonObject Hint(string poolId, string? username, string? sub)
    {
        var detail = new JsonObject { ["userPoolId"] = poolId };
        if (username is not null)
        {
            detail["username"] = username;
        }

        if (sub is not null)
        {
            detail["sub"] = sub;
        }

        return detail;
    }

    /// <summary>Mostly the primary's triggers; one in four the standby's (whose tokens take the path that adds the primary_sub claim).</summary>
    private static string TriggerPool(int pool, string primary, string standby) => pool == 3 ? standby : primary;

    private static string Json(string text) => JsonValue.Create(text).ToJsonString();

    private static string Request(string name, string sub) =>
        $$"""{ "userAttributes": { "sub": "{{sub}}", "cognito:user_status": "CONFIRMED", "email_verified": "true", "email": "{{name}}@example.com" } }""";

    /// <summary>A trigger event in the shape Cognito sends, with <paramref name="userName"/> and <paramref name="request"/> as raw JSON text.</summary>
    private static byte[] TriggerPayload(string triggerSource, string poolId, string userName, string request) => Encoding.UTF8.GetBytes(
        $$"""{ "version": "1", "region": "us-east-1", "userPoolId": "{{poolId}}", "userName": {{userName}}, "callerContext": { "awsSdkVersion": "aws-sdk-js-3.700.0", "clientId": "hostile-client" }, "triggerSource": "{{triggerSource}}", "request": {{request}}, "response": {} }""");

    /// <summary>The payload with the marker <c>@@</c> (inside the userName string) replaced by bytes that are not UTF-8.</summary>
    private static byte[] WithInvalidUtf8(byte[] payload, byte[] invalid)
    {
        var at = payload.AsSpan().IndexOf("@@"u8);
        return [.. payload.AsSpan(0, at), .. invalid, .. payload.AsSpan(at + 2)];
    }
}
