using System.Text;
using System.Text.Json.Nodes;
using CsCheck;

namespace IdentityReplicator.Replicator.Tests.Lambda;

/// <summary>How one real trigger event is broken: first in its structure, then in its text and bytes.</summary>
internal enum MutationKind
{
    DropField,
    Retype,
    HugeString,
    DeepNesting,
    OddString,
    CopyValue,
    DuplicateKey,
    BadEscape,
    Truncate,
    RandomBytes,
    InvalidUtf8,
    Garbage,
}

/// <summary>One mutation: its kind and the numbers that pick where and how (so a failing case shrinks and replays).</summary>
internal sealed record Mutation(MutationKind Kind, int Where, int How, int Size)
{
    public override string ToString() => $"{Kind}({Where},{How},{Size})";
}

/// <summary>A fuzzing case: a seed event, what is done to it, and how the function's stores behave meanwhile.</summary>
internal sealed record TriggerCase(int Seed, IReadOnlyList<Mutation> Mutations, StoreBehaviour Stores, bool AfterFailover)
{
    public override string ToString() =>
        $"{CognitoTriggerShapes.All[Seed].Name} [{string.Join(", ", Mutations)}] stores {Stores}{(AfterFailover ? ", after a failover" : string.Empty)}";

    /// <summary>The payload bytes the function receives.</summary>
    public byte[] Payload() => TriggerMutations.Apply(CognitoTriggerShapes.All[Seed].Json, Mutations);
}

/// <summary>How the mirror table, hint queue and mapping store answer during a case.</summary>
internal enum StoreBehaviour
{
    Answer,
    Fail,
    Hang,
}

/// <summary>CsCheck generators of mutated real trigger events, and the code that applies a mutation.</summary>
internal static class TriggerMutations
{
    private const string DuplicateMarker1 = "@@duplicate-1@@";
    private const string DuplicateMarker2 = "@@duplicate-2@@";
    private const string EscapeMarker = "@@escape@@";

    private static readonly JsonNode?[] Retypes = [null, "x", 42, -1.5e300, true, false, 0];

    private static readonly string[] OddStrings =
    [
        string.Empty, " ", "ålîçé", "😀👩‍👩‍👧", "\u202Eevil", "\0", "a\nb\tc", "null", "{}", "\\", "\"", "us-east-1_Primary01",
        new string('u', 129), "PostConfirmation_ConfirmSignUp", "TokenGeneration_Authentication", "not a pool", "\uFFFF", "\uD83D\uDE00",
    ];

    private static readonly string[] Escapes =
    [
        "\\ud800", "\\udc00", "\\ud800\\u0041", "\\udbff\\ud800", "\\ud800x", "\\u12", "\\x", "\\ud83d\\ude00", "\\u0000", "\\/", "\\ud800\\",
    ];

    private static readonly byte[][] InvalidSequences =
    [
        [0xFF], [0xC0, 0x80], [0xED, 0xA0, 0x80], [0x80], [0xE2, 0x82], [0xF4, 0x90, 0x80, 0x80], [0xFE, 0xFF], [0xC3],
    ];

    private static readonly Gen<Mutation> OneMutation = Gen.Select(
        Gen.Enum<MutationKind>(),
        Gen.Int[0, int.MaxValue],
        Gen.Int[0, int.MaxValue],
        Gen.Int[0, 1000],
        (kind, where, how, size) => new Mutation(kind, where, how, size));

    /// <summary>Cases: a seed, zero to three mutations (zero: the valid event itself), and the stores' behaviour.</summary>
    public static readonly Gen<TriggerCase> Cases = Gen.Select(
        Gen.Int[0, CognitoTriggerShapes.All.Count - 1],
        Gen.Frequency<Mutation[]>((1, Gen.Const(Array.Empty<Mutation>())), (6, OneMutation.Array[1, 3])),
        Gen.Enum<StoreBehaviour>(),
        Gen.Bool,
        (seed, mutations, stores, afterFailover) => new TriggerCase(seed, mutations, stores, afterFailover));

    public static byte[] Apply(string seed, IReadOnlyList<Mutation> mutations)
    {
        var root = JsonNode.Parse(seed)!.AsObject();
        string? duplicateName = null;
        string? escape = null;
        foreach (var m in mutations.Where(m => m.Kind <= MutationKind.BadEscape))
        {
            switch (m.Kind)
            {
                case MutationKind.DuplicateKey:
                    duplicateName ??= AddDuplicates(root, m);
                    break;
                case MutationKind.BadEscape:
                    if (escape is null && Pick(root, m.Where) is { } at)
                    {
                        escape = Escapes[m.How % Escapes.Length];
                        Set(at, EscapeMarker);
                    }

                    break;
                default:
                    Restructure(root, m);
                    break;
            }
        }

        var text = root.ToJsonString();
        if (duplicateName is not null)
        {
            text = text.Replace(DuplicateMarker1, duplicateName, StringComparison.Ordinal).Replace(DuplicateMarker2, duplicateName, StringComparison.Ordinal);
        }

        if (escape is not null)
        {
            text = text.Replace(EscapeMarker, escape, StringComparison.Ordinal);
        }

        var bytes = Encoding.UTF8.GetBytes(text);
        foreach (var m in mutations.Where(m => m.Kind > MutationKind.BadEscape))
        {
            bytes = Corrupt(bytes, m);
        }

        return bytes;
    }

    private static void Restructure(JsonObject root, Mutation m)
    {
        if (Pick(root, m.Where) is not { } at)
        {
            return;
        }

        switch (m.Kind)
        {
            case MutationKind.DropField:
                if (at.Parent is JsonObject o)
                {
                    o.Remove(at.Key!);
                }
                else
                {
                    ((JsonArray)at.Parent).RemoveAt(at.Index);
                }

                break;
            case MutationKind.Retype:
                Set(at, (m.How % (Retypes.Length + 2)) switch
                {
                    var i when i < Retypes.Length => Retypes[i]?.DeepClone(),
                    var i when i == Retypes.Length => new JsonArray(1, "a", new JsonObject()),
                    _ => new JsonObject { ["a"] = new JsonObject { ["b"] = "c" } },
                });
                break;
            case MutationKind.HugeString:
                // Past every length Cognito allows (128 for a username, 2,048 for an attribute value).
                var unit = (m.How % 3) switch { 0 => "a", 1 => "é", _ => "😀" };
                Set(at, new StringBuilder().Insert(0, unit, 2_100 + (m.Size * 6)).ToString());
                break;
            case MutationKind.DeepNesting:
                JsonNode nested = "bottom";
                for (var level = 0; level < 1 + (m.Size % 200); level++)
                {
                    nested = level % 2 == 0 ? new JsonArray(nested) : new JsonObject { ["n"] = nested };
                }

                Set(at, nested);
                break;
            case MutationKind.OddString:
                Set(at, OddStrings[m.How % OddStrings.Length]);
                break;
            case MutationKind.CopyValue:
                if (Pick(root, m.How) is { } from)
                {
                    Set(at, Get(from)?.DeepClone());
                }

                break;
            default:
                break;
        }
    }

    /// <summary>Adds two marker keys to an object; the text then names both like one of its keys (or "k").</summary>
    private static string? AddDuplicates(JsonObject root, Mutation m)
    {
        var objects = Locations(root).Select(Get).OfType<JsonObject>().Prepend(root).ToList();
        var target = objects[m.Where % objects.Count];
        var name = target.Count > 0 ? target.GetAt(m.How % target.Count).Key : "k";
        target[DuplicateMarker1] = m.Size;
        target[DuplicateMarker2] = "second";
        return name;
    }

    private static byte[] Corrupt(byte[] bytes, Mutation m)
    {
        if (bytes.Length == 0)
        {
            return bytes;
        }

        var at = m.Where % bytes.Length;
        switch (m.Kind)
        {
            case MutationKind.Truncate:
                return bytes[..at];
            case MutationKind.RandomBytes:
                var copy = (byte[])bytes.Clone();
                for (var i = 0; i <= m.Size % 8; i++)
                {
                    copy[(int)((at + ((long)i * (m.How | 1))) % copy.Length)] = (byte)(m.How >> (i % 4 * 8));
                }

                return copy;
            case MutationKind.InvalidUtf8:
                return [.. bytes[..at], .. InvalidSequences[m.How % InvalidSequences.Length], .. bytes[at..]];
            case MutationKind.Garbage:
                const string tokens = "{}[]\",:\\ tfn0-.eE\u00e9";
                var garbage = Encoding.UTF8.GetBytes(new string([.. Enumerable.Range(0, 1 + (m.Size % 6)).Select(i => tokens[(m.How >> i) % tokens.Length])]));
                return [.. bytes[..at], .. garbage, .. bytes[at..]];
            default:
                return bytes;
        }
    }

    /// <summary>A place in the tree: a key of an object or an index of an array.</summary>
    private sealed record Location(JsonNode Parent, string? Key, int Index);

    private static Location? Pick(JsonObject root, int where)
    {
        var all = Locations(root).ToList();
        return all.Count == 0 ? null : all[where % all.Count];
    }

    private static IEnumerable<Location> Locations(JsonNode node)
    {
        switch (node)
        {
            case JsonObject o:
                foreach (var (key, child) in o.ToList())
                {
                    yield return new Location(o, key, -1);
                    if (child is not null)
                    {
                        foreach (var inner in Locations(child))
                        {
                            yield return inner;
                        }
                    }
                }

                break;
            case JsonArray a:
                for (var i = 0; i < a.Count; i++)
                {
                    yield return new Location(a, null, i);
                    if (a[i] is { } child)
                    {
                        foreach (var inner in Locations(child))
                        {
                            yield return inner;
                        }
                    }
                }

                break;
            default:
                break;
        }
    }

    private static JsonNode? Get(Location at) => at.Parent is JsonObject o ? o[at.Key!] : at.Parent[at.Index];

    private static void Set(Location at, JsonNode? value)
    {
        if (at.Parent is JsonObject o)
        {
            o[at.Key!] = value;
        }
        else
        {
            at.Parent[at.Index] = value;
        }
    }
}
