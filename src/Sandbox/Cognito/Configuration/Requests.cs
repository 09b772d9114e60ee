using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace IdentityReplicator.Sandbox.Cognito.Configuration;

/// <summary>
/// Reading a request body as Cognito validates it (required members, lengths, patterns, enumerations; failures are
/// <c>InvalidParameterException</c> naming the member), and paging a listing as Cognito pages it.
/// </summary>
internal static partial class Requests
{
    public static string Required(JsonObject body, string member, int maxLength = 2048, Regex? pattern = null) =>
        Optional(body, member, maxLength, pattern) ?? throw CognitoFault.Invalid($"1 validation error detected: Value null at '{Camel(member)}' failed to satisfy constraint: Member must not be null");

    public static string? Optional(JsonObject body, string member, int maxLength = 2048, Regex? pattern = null)
    {
        if (body[member] is not JsonValue value)
        {
            return null;
        }

        if (!value.TryGetValue<string>(out var text))
        {
            throw CognitoFault.Invalid($"1 validation error detected: Value at '{Camel(member)}' failed to satisfy constraint: Member must be a string");
        }

        if (text.Length == 0 || text.Length > maxLength)
        {
            throw CognitoFault.Invalid($"1 validation error detected: Value at '{Camel(member)}' failed to satisfy constraint: Member must have length between 1 and {maxLength}");
        }

        if (pattern is not null && !pattern.IsMatch(text))
        {
            throw CognitoFault.Invalid($"1 validation error detected: Value '{text}' at '{Camel(member)}' failed to satisfy constraint: Member must satisfy regular expression pattern: {pattern}");
        }

        return text;
    }

    public static string? OneOf(JsonObject body, string member, params string[] allowed)
    {
        var text = Optional(body, member);
        if (text is not null && !allowed.Contains(text, StringComparer.Ordinal))
        {
            throw CognitoFault.Invalid($"1 validation error detected: Value '{text}' at '{Camel(member)}' failed to satisfy constraint: Member must satisfy enum value set: [{string.Join(", ", allowed)}]");
        }

        return text;
    }

    public static bool? Flag(JsonObject body, string member) =>
        body[member] is JsonValue value && value.TryGetValue<bool>(out var flag) ? flag : null;

    public static long? Number(JsonObject body, string member, long min, long max)
    {
        if (body[member] is not JsonValue value)
        {
            return null;
        }

        long number;
        if (value.TryGetValue<long>(out var whole))
        {
            number = whole;
        }
        else if (value.TryGetValue<double>(out var real) && real == Math.Floor(real))
        {
            number = (long)real;
        }
        else
        {
            throw CognitoFault.Invalid($"1 validation error detected: Value at '{Camel(member)}' failed to satisfy constraint: Member must be an integer");
        }

        if (number < min || number > max)
        {
            throw CognitoFault.Invalid($"1 validation error detected: Value '{number}' at '{Camel(member)}' failed to satisfy constraint: Member must have value between {min} and {max}");
        }

        return number;
    }

    /// <summary>A list of strings, each one of <paramref name="allowed"/> when given.</summary>
    public static List<string>? Strings(JsonObject body, string member, int maxItems = 100, params string[] allowed)
    {
        if (body[member] is null)
        {
            return null;
        }

        if (body[member] is not JsonArray array || array.Count > maxItems || array.Any(i => i is not JsonValue v || !v.TryGetValue<string>(out _)))
        {
            throw CognitoFault.Invalid($"1 validation error detected: Value at '{Camel(member)}' failed to satisfy constraint: Member must be a list of at most {maxItems} strings");
        }

        var items = array.Select(i => i!.GetValue<string>()).ToList();
        if (allowed.Length > 0 && items.FirstOrDefault(i => !allowed.Contains(i, StringComparer.Ordinal)) is { } wrong)
        {
            throw CognitoFault.Invalid($"1 validation error detected: Value '[{string.Join(", ", items)}]' at '{Camel(member)}' failed to satisfy constraint: Member must satisfy constraint: [Member must satisfy enum value set: [{string.Join(", ", allowed)}]] ('{wrong}')");
        }

        return items;
    }

    /// <summary>A map of strings to strings.</summary>
    public static JsonObject? StringMap(JsonObject body, string member)
    {
        if (body[member] is null)
        {
            return null;
        }

        if (body[member] is not JsonObject map || map.Any(p => p.Value is not JsonValue v || !v.TryGetValue<string>(out _)))
        {
            throw CognitoFault.Invalid($"1 validation error detected: Value at '{Camel(member)}' failed to satisfy constraint: Member must be a map of strings");
        }

        return (JsonObject)map.DeepClone();
    }

    /// <summary>
    /// One page of <paramref name="items"/> (in their stored order): at most <paramref name="limitMember"/> items (1 to
    /// <paramref name="maxPage"/>, <paramref name="maxPage"/> when absent) after the key the token names.
    /// </summary>
    public static (List<T> Page, string? NextToken) Page<T>(JsonObject body, IReadOnlyList<T> items, Func<T, string> key, string limitMember, int maxPage)
    {
        var limit = (int)(Number(body, limitMember, 1, maxPage) ?? maxPage);
        var start = 0;
        if (Optional(body, "NextToken", 4096) is { } token)
        {
            string after;
            try
            {
                after = Encoding.UTF8.GetString(Convert.FromBase64String(token));
            }
            catch (FormatException)
            {
                throw CognitoFault.Invalid("Invalid pagination token.");
            }

            var index = items.Select(key).ToList().IndexOf(after);
            start = index < 0 ? throw CognitoFault.Invalid("Invalid pagination token.") : index + 1;
        }

        var page = items.Skip(start).Take(limit).ToList();
        var next = start + page.Count < items.Count ? Convert.ToBase64String(Encoding.UTF8.GetBytes(key(page[^1]))) : null;
        return (page, next);
    }

    /// <summary>Cognito's JSON timestamps: seconds since the epoch, with milliseconds.</summary>
    public static JsonValue Timestamp(DateTimeOffset at) => JsonValue.Create(at.ToUnixTimeMilliseconds() / 1000.0);

    /// <summary>A CloudTrail / error-message member name: the first letter in lower case.</summary>
    public static string Camel(string member) => member.Length == 0 ? member : char.ToLower(member[0], CultureInfo.InvariantCulture) + member[1..];

    [GeneratedRegex(@"^[\w-]+_[0-9a-zA-Z]+$")]
    public static partial Regex UserPoolId();

    [GeneratedRegex(@"^[\w+]+$")]
    public static partial Regex ClientId();
}
