using System.Collections.Immutable;
using System.Globalization;

namespace IdentityReplicator.Failover.Plans;

/// <summary>Reads a value from its text; false when the text is not one.</summary>
internal delegate bool TextParser<T>(string text, out T value);

/// <summary>
/// Binds a <see cref="YamlTreeNode"/> tree to typed values, collecting every problem (with its place, the field's path
/// and the fix) instead of stopping at the first. Knows nothing of any one file format: the caller names the fields
/// each mapping allows and what a value must be. Unknown fields are problems with the nearest allowed name suggested,
/// so a typo never silently drops a setting. A single value where a list of values is expected is a one-item list.
/// </summary>
internal sealed class YamlBinder(string noun, int maxProblems)
{
    private readonly List<YamlProblem> _problems = [];

    /// <summary>The path of the root in messages: <c>(plan)</c>.</summary>
    public string Root { get; } = YamlTreeReader.RootName(noun);

    public IReadOnlyList<YamlProblem> Problems => _problems;

    /// <summary>Problems past <c>maxProblems</c>: counted, not kept.</summary>
    public int Omitted { get; private set; }

    /// <summary>Where the first problem that was not kept is.</summary>
    public TextPosition FirstOmittedAt { get; private set; }

    public void Problem(TextPosition at, string path, string message)
    {
        if (_problems.Count < maxProblems)
        {
            _problems.Add(new YamlProblem(at, path, message));
        }
        else if (Omitted++ == 0)
        {
            FirstOmittedAt = at;
        }
    }

    public T Invalid<T>(TextPosition at, string path, string message, T fallback)
    {
        Problem(at, path, message);
        return fallback;
    }

    public string Join(string path, string key) => YamlTreeReader.Join(path, key, Root);

    /// <summary>The node as a mapping whose keys are all in <paramref name="allowed"/>.</summary>
    public YamlTreeMapping? Mapping(YamlTreeNode node, string path, params string[] allowed)
    {
        if (node is not YamlTreeMapping mapping)
        {
            Problem(node.At, path, $"{path} must be a mapping (key: value lines, or {{ key: value }}), not {Describe(node)}.");
            return null;
        }

        foreach (var (key, _) in mapping.Entries)
        {
            if (!allowed.Contains(key.Value, StringComparer.Ordinal))
            {
                var nearest = Nearest(key.Value, allowed);
                var hint = nearest is null ? $"the fields here are {string.Join(", ", allowed)}." : $"did you mean '{nearest}'?";
                Problem(key.At, Join(path, key.Value), $"{Join(path, key.Value)} is not a {noun} field; {hint}");
            }
        }

        return mapping;
    }

    /// <summary>The entries of a list (of mappings, say); absent is empty.</summary>
    public IEnumerable<(YamlTreeNode Item, string Path)> Items(YamlTreeNode? node, string path)
    {
        if (node is null)
        {
            return [];
        }

        if (node is not YamlTreeList list)
        {
            Problem(node.At, path, $"{path} must be a list (lines starting with '- '), not {Describe(node)}.");
            return [];
        }

        return list.Items.Select((item, i) => (item, $"{path}[{i}]"));
    }

    /// <summary>A list of values; a single value is a one-item list; absent is <c>default</c>.</summary>
    public ImmutableArray<string> Strings(YamlTreeNode? node, string path) =>
        node is null ? default : [.. StringItems(node, path).Select(i => i.Value)];

    /// <summary>A list of values with where each is (for rules on each value); a single value is a one-item list.</summary>
    public ImmutableArray<(string Value, TextPosition At, string Path)> StringItems(YamlTreeNode? node, string path)
    {
        ImmutableArray<YamlTreeNode> items = node switch
        {
            null => [],
            YamlTreeScalar => [node],
            YamlTreeList list => list.Items,
            _ => Invalid(node.At, path, $"{path} must be a list of values ([a, b], or lines starting with '- ') or a single value, not {Describe(node)}.", ImmutableArray<YamlTreeNode>.Empty),
        };
        var result = ImmutableArray.CreateBuilder<(string, TextPosition, string)>(items.Length);
        for (var i = 0; i < items.Length; i++)
        {
            if (Scalar(items[i], $"{path}[{i}]") is { } value)
            {
                result.Add((value, items[i].At, $"{path}[{i}]"));
            }
        }

        return result.ToImmutable();
    }

    public string? String(YamlTreeMapping o, string key, string path, bool required, string? hint)
    {
        var node = o[key];
        if (node is null)
        {
            if (required)
            {
                Problem(o.At, Join(path, key), $"{Join(path, key)} is missing; {hint}.");
            }

            return null;
        }

        return Scalar(node, Join(path, key));
    }

    /// <summary>A non-empty single value.</summary>
    public string? Scalar(YamlTreeNode node, string path)
    {
        if (node is YamlTreeScalar { IsNull: false } scalar && !string.IsNullOrWhiteSpace(scalar.Value))
        {
            return scalar.Value;
        }

        Problem(node.At, path, $"{path} must be a single non-empty value, not {Describe(node)}.");
        return null;
    }

    /// <summary>A value read by <paramref name="parse"/>; <paramref name="fallback"/> when absent or wrong.</summary>
    public T Value<T>(YamlTreeMapping o, string key, string path, T fallback, TextParser<T> parse, string expected)
    {
        var node = o[key];
        if (node is null)
        {
            return fallback;
        }

        var full = Join(path, key);
        var text = Scalar(node, full);
        if (text is null)
        {
            return fallback;
        }

        return parse(text, out var value) ? value : Invalid(node.At, full, $"{full} is '{YamlTreeReader.Shorten(text)}'; {expected}.", fallback);
    }

    public long? Long(YamlTreeNode node, string path)
    {
        var text = Scalar(node, path);
        if (text is not null && long.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out var value) && value >= 0)
        {
            return value;
        }

        if (text is not null)
        {
            Problem(node.At, path, $"{path} is '{YamlTreeReader.Shorten(text)}'; it must be a whole number of 0 or more.");
        }

        return null;
    }

    public int Int(YamlTreeMapping o, string key, string path, int fallback) =>
        o[key] is { } node ? (int)Math.Min(int.MaxValue, Long(node, Join(path, key)) ?? fallback) : fallback;

    public bool Bool(YamlTreeMapping o, string key, string path, bool fallback) =>
        Value(o, key, path, fallback, bool.TryParse, "it must be true or false");

    public Uri? Url(YamlTreeMapping o, string key, string path) => o[key] is { } node ? UrlValue(node, Join(path, key)) : null;

    /// <summary>An absolute http(s) URL.</summary>
    public Uri? UrlValue(YamlTreeNode node, string path)
    {
        var text = Scalar(node, path);
        if (text is not null && Uri.TryCreate(text, UriKind.Absolute, out var uri) && (uri.Scheme == Uri.UriSchemeHttp || uri.Scheme == Uri.UriSchemeHttps))
        {
            return uri;
        }

        if (text is not null)
        {
            Problem(node.At, path, $"{path} is '{YamlTreeReader.Shorten(text)}'; it must be an absolute http(s) URL.");
        }

        return null;
    }

    public static string Describe(YamlTreeNode? node) => node switch
    {
        null or YamlTreeScalar { IsNull: true } => "empty",
        YamlTreeList => "a list",
        YamlTreeMapping => "a mapping",
        YamlTreeScalar scalar => $"'{YamlTreeReader.Shorten(scalar.Value)}'",
        _ => "something else",
    };

    /// <summary>The allowed name within a third of the key's length in edits (at least 2), if any.</summary>
    private static string? Nearest(string key, string[] allowed)
    {
        // A key more than twice as long as every name is more than a third of its length away from all of them.
        if (key.Length > 2 * allowed.Max(a => a.Length) + 2)
        {
            return null;
        }

        var lower = key.ToLowerInvariant();
        var nearest = allowed.MinBy(a => Distance(a.ToLowerInvariant(), lower))!;
        return Distance(nearest.ToLowerInvariant(), lower) <= Math.Max(2, key.Length / 3) ? nearest : null;
    }

    /// <summary>Levenshtein distance, for "did you mean".</summary>
    private static int Distance(string a, string b)
    {
        var row = Enumerable.Range(0, b.Length + 1).ToArray();
        for (var i = 1; i <= a.Length; i++)
        {
            var previous = row[0];
            row[0] = i;
            for (var j = 1; j <= b.Length; j++)
            {
                var current = row[j];
                row[j] = Math.Min(Math.Min(row[j] + 1, row[j - 1] + 1), previous + (a[i - 1] == b[j - 1] ? 0 : 1));
                previous = current;
            }
        }

        return row[b.Length];
    }
}
