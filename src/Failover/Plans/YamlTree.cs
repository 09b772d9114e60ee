using System.Collections.Immutable;
using System.Globalization;
using System.Text;
using YamlDotNet.Core;
using YamlDotNet.Core.Events;

namespace IdentityReplicator.Failover.Plans;

/// <summary>A place in a text: 1-based line and column.</summary>
internal readonly record struct TextPosition(int Line, int Column)
{
    public static TextPosition Start { get; } = new(1, 1);

    public static TextPosition Of(Mark mark) => new((int)Math.Clamp(mark.Line, 1, int.MaxValue), (int)Math.Clamp(mark.Column, 1, int.MaxValue));
}

/// <summary>A node of a YAML document as plain data — a mapping, a list or a scalar — with where it starts.</summary>
internal abstract record YamlTreeNode(TextPosition At);

/// <summary>A scalar; <see cref="IsNull"/> for an unquoted empty value, <c>~</c> or <c>null</c>.</summary>
internal sealed record YamlTreeScalar(TextPosition At, string Value, bool IsNull) : YamlTreeNode(At);

internal sealed record YamlTreeList(TextPosition At, ImmutableArray<YamlTreeNode> Items) : YamlTreeNode(At);

internal sealed record YamlTreeEntry(YamlTreeScalar Key, YamlTreeNode Value);

/// <summary>A mapping whose keys are scalars and unique (the reader reports and drops any other).</summary>
internal sealed record YamlTreeMapping(TextPosition At, ImmutableArray<YamlTreeEntry> Entries) : YamlTreeNode(At)
{
    /// <summary>The value under <paramref name="key"/>; null when the key is absent or its value is null.</summary>
    public YamlTreeNode? this[string key] =>
        Entries.FirstOrDefault(e => string.Equals(e.Key.Value, key, StringComparison.Ordinal))?.Value is { } value && value is not YamlTreeScalar { IsNull: true } ? value : null;
}

/// <summary>Something wrong at a place in the text, in the field at <see cref="Path"/>.</summary>
internal sealed record YamlProblem(TextPosition At, string Path, string Message);

/// <summary>How far a document may go before the reader stops: nesting depth and number of nodes.</summary>
internal sealed record YamlLimits(int MaxDepth, int MaxNodes);

/// <summary>What <see cref="YamlTreeReader"/> read: the root (null for an empty document), and the problems it found.</summary>
internal sealed record YamlTree(YamlTreeNode? Root, ImmutableArray<YamlProblem> Problems, bool Complete);

/// <summary>
/// Reads one YAML (or JSON) document into a <see cref="YamlTreeNode"/> tree, safely for any input: it pulls the
/// parser's events one at a time and builds the tree without recursion, refuses anchors and aliases (so nothing
/// expands), and stops at the first node past <see cref="YamlLimits"/> — before the parser's own bookkeeping for
/// deep nesting grows. Keys that are not scalars and keys given twice are reported, and the rest is still read.
/// </summary>
internal static class YamlTreeReader
{
    private const string SyntaxHint = "Indent with spaces, close every bracket and quote, and quote values that contain ': ' or ' #' or start with a special character such as ! & * % @ ` | >.";

    /// <summary>Reads <paramref name="text"/>; <paramref name="noun"/> names the kind of document in messages ("plan").</summary>
    public static YamlTree Read(string text, YamlLimits limits, string noun)
    {
        var rootName = RootName(noun);
        var problems = ImmutableArray.CreateBuilder<YamlProblem>();
        var open = new Stack<Frame>();
        YamlTreeNode? root = null;
        var nodes = 0;
        var documents = 0;
        var parser = new Parser(new StringReader(text));
        var readTo = TextPosition.Start;
        YamlTree Stop(TextPosition at, string message)
        {
            problems.Add(new YamlProblem(at, PathHere(), message));
            return new YamlTree(null, problems.ToImmutable(), Complete: false);
        }

        string PathHere() => open.Count == 0 ? rootName : open.Peek().ChildPath(rootName);

        try
        {
            while (parser.MoveNext())
            {
                var current = parser.Current!;
                var at = TextPosition.Of(current.Start);
                readTo = TextPosition.Of(current.End);
                if (current is DocumentStart && ++documents > 1)
                {
                    return Stop(at, $"The file holds more than one YAML document (a second starts here); a {noun} file holds one {noun} — remove the '---' line and what follows it, or split the file.");
                }

                if (current is AnchorAlias alias)
                {
                    return Stop(at, $"{PathHere()} uses a YAML alias (*{alias.Value}); anchors and aliases (&name, *name) are not allowed in a {noun} — write the value out in full.");
                }

                if (current is not NodeEvent node)
                {
                    if (current is SequenceEnd or MappingEnd)
                    {
                        Add(open.Pop().Build());
                    }

                    continue;
                }

                if (!node.Anchor.IsEmpty)
                {
                    return Stop(at, $"{PathHere()} defines a YAML anchor (&{node.Anchor}); anchors and aliases (&name, *name) are not allowed in a {noun} — write the value out in full.");
                }

                if (++nodes > limits.MaxNodes)
                {
                    return Stop(at, $"{PathHere()}: the file has more than {limits.MaxNodes} values; a {noun} needs a few hundred at most — is this the right file?");
                }

                if (node is Scalar scalar)
                {
                    Add(new YamlTreeScalar(at, scalar.Value, IsNull(scalar)));
                }
                else if (open.Count >= limits.MaxDepth)
                {
                    return Stop(at, $"{PathHere()} is nested more than {limits.MaxDepth} levels deep; no {noun} field goes deeper than a few levels — check the brackets and the indentation.");
                }
                else
                {
                    open.Push(new Frame(at, PathHere(), isMapping: node is MappingStart));
                }
            }
        }
        catch (YamlException e)
        {
            return Stop(TextPosition.Of(e.Start), $"{PathHere()}: the {noun} is not valid YAML or JSON here: {e.Message} {SyntaxHint}");
        }
        catch (Exception e) when (e is InvalidOperationException or ArgumentException)
        {
            // YamlDotNet 18 throws these, instead of a YamlException, on some malformed input (an unknown tag handle, a
            // plain scalar it cannot finish); the fuzz tests find both within a few thousand cases.
            return Stop(readTo, $"{PathHere()}: the {noun} is not valid YAML or JSON after this point. {SyntaxHint}");
        }

        return new YamlTree(root, problems.ToImmutable(), Complete: true);

        void Add(YamlTreeNode node)
        {
            if (open.Count == 0)
            {
                root = node;
            }
            else if (open.Peek().Add(node, rootName) is { } problem)
            {
                problems.Add(problem);
            }
        }
    }

    /// <summary>YAML's core schema: an unquoted empty value, <c>~</c> and <c>null</c> are null.</summary>
    private static bool IsNull(Scalar scalar) =>
        scalar.Style is ScalarStyle.Plain or ScalarStyle.Any && scalar.Value is "" or "~" or "null" or "Null" or "NULL";

    /// <summary>The path of the document's root in messages: <c>(plan)</c>.</summary>
    public static string RootName(string noun) => $"({noun})";

    /// <summary>Joins a field path and a key: <c>dns</c> + <c>records</c> = <c>dns.records</c>; odd keys are quoted.</summary>
    public static string Join(string path, string key, string rootName)
    {
        var name = key.Length == 0 || char.IsWhiteSpace(key[0]) || char.IsWhiteSpace(key[^1]) ? $"'{Shorten(key)}'" : Shorten(key);
        return path == rootName ? name : $"{path}.{name}";
    }

    /// <summary>A text as it can be quoted in a one-line message: at most 60 characters, control characters escaped.</summary>
    public static string Shorten(string text)
    {
        var shown = text.Length <= 60 ? text : string.Concat(text.AsSpan(0, 57), "…");
        if (!shown.Any(Unprintable))
        {
            return shown;
        }

        var escaped = new StringBuilder(shown.Length + 16);
        foreach (var c in shown)
        {
            if (Unprintable(c))
            {
                escaped.Append(CultureInfo.InvariantCulture, $"\\u{(int)c:x4}");
            }
            else
            {
                escaped.Append(c);
            }
        }

        return escaped.ToString();

        static bool Unprintable(char c) => char.IsControl(c) || c is '\u2028' or '\u2029';
    }

    /// <summary>A mapping or list being read: its items so far, and (for a mapping) the key waiting for its value.</summary>
    private sealed class Frame(TextPosition at, string path, bool isMapping)
    {
        private readonly List<YamlTreeNode> _items = [];
        private readonly List<YamlTreeEntry> _entries = [];
        private readonly Dictionary<string, YamlTreeScalar> _keys = new(StringComparer.Ordinal);
        private YamlTreeNode? _key;

        public string ChildPath(string rootName) => !isMapping
            ? $"{path}[{_items.Count}]"
            : _key switch
            {
                null => path,
                YamlTreeScalar key => Join(path, key.Value, rootName),
                _ => $"{path}.(key)",
            };

        /// <summary>Adds an item, a key or a value; a problem when a key is not a name or is given twice.</summary>
        public YamlProblem? Add(YamlTreeNode node, string rootName)
        {
            if (!isMapping)
            {
                _items.Add(node);
                return null;
            }

            if (_key is null)
            {
                _key = node;
                return null;
            }

            var key = _key;
            _key = null;
            if (key is not YamlTreeScalar name)
            {
                return new YamlProblem(key.At, path, $"A key in {path} is {(key is YamlTreeList ? "a list" : "a mapping")}; plan keys are plain names such as 'region:' — remove the '?' or the brackets around the key.");
            }

            if (!_keys.TryAdd(name.Value, name))
            {
                var field = Join(path, name.Value, rootName);
                return new YamlProblem(name.At, field, $"{field} is given twice (lines {_keys[name.Value].At.Line} and {name.At.Line}); keep one.");
            }

            _entries.Add(new YamlTreeEntry(name, node));
            return null;
        }

        public YamlTreeNode Build() => isMapping ? new YamlTreeMapping(at, [.. _entries]) : new YamlTreeList(at, [.. _items]);
    }
}
