using System.Text.Json.Nodes;

namespace IdentityReplicator.Core.PoolConfiguration;

/// <summary>Walking and comparing settings trees: a missing member equals null and an empty list; lists of scalars compare as sets.</summary>
internal static class JsonSettings
{
    /// <summary>Member names whose values are secrets (an OIDC provider's client secret): compared, never shown.</summary>
    public static readonly IReadOnlySet<string> SecretMembers = new HashSet<string>(StringComparer.Ordinal) { "client_secret", "ClientSecret" };

    public static bool IsAbsent(JsonNode? node) => node is null || node is JsonArray { Count: 0 } || node is JsonObject { Count: 0 };

    public static bool SameValue(JsonNode? a, JsonNode? b)
    {
        if (IsAbsent(a) || IsAbsent(b))
        {
            return IsAbsent(a) && IsAbsent(b);
        }

        if (a is JsonArray la && b is JsonArray lb && la.All(n => n is JsonValue) && lb.All(n => n is JsonValue))
        {
            var sa = la.Select(n => n!.ToJsonString()).Order(StringComparer.Ordinal).Distinct().ToList();
            var sb = lb.Select(n => n!.ToJsonString()).Order(StringComparer.Ordinal).Distinct().ToList();
            return sa.SequenceEqual(sb, StringComparer.Ordinal);
        }

        if (a is JsonObject oa && b is JsonObject ob)
        {
            return oa.Select(m => m.Key).Union(ob.Select(m => m.Key), StringComparer.Ordinal).All(k => SameValue(oa[k], ob[k]));
        }

        return JsonNode.DeepEquals(a, b);
    }

    /// <summary>Every difference between two trees as leaf paths (objects are descended; anything else is a leaf).</summary>
    public static IEnumerable<string> Differences(JsonObject? a, JsonObject? b, string prefix = "")
    {
        var keys = (a?.Select(m => m.Key) ?? []).Union(b?.Select(m => m.Key) ?? [], StringComparer.Ordinal).Order(StringComparer.Ordinal);
        foreach (var key in keys)
        {
            var path = prefix.Length == 0 ? key : $"{prefix}/{key}";
            var (va, vb) = (a?[key], b?[key]);
            if (va is JsonObject oa && vb is JsonObject ob)
            {
                foreach (var inner in Differences(oa, ob, path))
                {
                    yield return inner;
                }
            }
            else if (!SameValue(va, vb))
            {
                yield return path;
            }
        }
    }

    /// <summary>Every string leaf under the tree, with its path.</summary>
    public static IEnumerable<(string Path, JsonValue Value)> StringLeaves(JsonNode? node, string prefix = "")
    {
        switch (node)
        {
            case JsonObject o:
                foreach (var (key, value) in o)
                {
                    foreach (var leaf in StringLeaves(value, prefix.Length == 0 ? key : $"{prefix}/{key}"))
                    {
                        yield return leaf;
                    }
                }

                break;
            case JsonValue v when v.TryGetValue<string>(out _):
                yield return (prefix, v);
                break;
        }
    }

    public static JsonNode? At(JsonObject? root, string path)
    {
        JsonNode? node = root;
        foreach (var part in path.Split('/'))
        {
            node = (node as JsonObject)?[part];
        }

        return node;
    }

    /// <summary>Sets (or, with null, removes) the node at a path, creating objects on the way.</summary>
    public static void Put(JsonObject root, string path, JsonNode? value)
    {
        var parts = path.Split('/');
        var node = root;
        foreach (var part in parts[..^1])
        {
            if (node[part] is not JsonObject next)
            {
                if (value is null)
                {
                    return;
                }

                next = [];
                node[part] = next;
            }

            node = next;
        }

        if (value is null)
        {
            node.Remove(parts[^1]);
        }
        else
        {
            node[parts[^1]] = value;
        }
    }

    /// <summary>Whether a path names a secret member (its value is never shown).</summary>
    public static bool IsSecretPath(string path) => SecretMembers.Contains(path[(path.LastIndexOf('/') + 1)..]);
}
