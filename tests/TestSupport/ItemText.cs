using System.Globalization;
using Amazon.DynamoDBv2.Model;

namespace IdentityReplicator.TestSupport;

/// <summary>
/// A DynamoDB item as text, one attribute a line in ordinal order (<c>name TYPE value</c>; maps and lists nested in
/// brackets), so a golden test can pin an item's exact attribute names, types and values in one readable literal.
/// </summary>
public static class ItemText
{
    public static string Render(IReadOnlyDictionary<string, AttributeValue> item) =>
        string.Join('\n', item.OrderBy(a => a.Key, StringComparer.Ordinal).Select(a => $"{a.Key} {Value(a.Value)}"));

    private static string Value(AttributeValue value) => value switch
    {
        { S: { } s } => "S " + s,
        { N: { } n } => "N " + n,
        { BOOL: { } b } => "BOOL " + (b ? "true" : "false"),
        { L: { } list } => "L [" + string.Join(", ", list.Select(Value)) + "]",
        { M: { } map } => "M {" + string.Join(", ", map.OrderBy(a => a.Key, StringComparer.Ordinal).Select(a => $"{a.Key}: {Value(a.Value)}")) + "}",
        { SS: { Count: > 0 } set } => "SS [" + string.Join(", ", set) + "]",
        _ => "?" + string.Create(CultureInfo.InvariantCulture, $"{value}"),
    };
}
