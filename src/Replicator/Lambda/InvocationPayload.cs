using System.Buffers;
using System.Diagnostics.CodeAnalysis;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Unicode;

namespace IdentityReplicator.Replicator.Lambda;

/// <summary>
/// The raw bytes of one invocation, checked before anything reads them: a payload is read only if it is one JSON value
/// in valid UTF-8, with no duplicate key in any object, no lone surrogate escape (<c>\ud800</c>) in any string or
/// key, and at most <see cref="MaxDepth"/> levels deep. Such a document can be read and written again without an
/// exception; anything else is handed back to the caller byte for byte (see <see cref="ReplicatorFunction.InvokeAsync"/>).
/// </summary>
internal static class InvocationPayload
{
    /// <summary>The deepest nesting read (System.Text.Json's default; Cognito's events are four levels deep).</summary>
    public const int MaxDepth = 64;

    /// <summary>Reads <paramref name="payload"/>; <c>false</c> with the kind of problem (a metric tag) when it cannot be read safely.</summary>
    public static bool TryRead(ReadOnlyMemory<byte> payload, out JsonNode? json, [NotNullWhen(false)] out string? problem)
    {
        json = null;
        problem = Check(payload.Span);
        if (problem is not null)
        {
            return false;
        }

        try
        {
            json = JsonNode.Parse(payload.Span, documentOptions: new JsonDocumentOptions { MaxDepth = MaxDepth });
            return true;
        }
        catch (JsonException)
        {
            // Not expected after the checks above (the same reader reads it); a payload is never a reason to throw.
            problem = NotJson;
            return false;
        }
    }

    /// <summary>What an operator is told about a problem <see cref="TryRead"/> found.</summary>
    public static string Describe(string problem) => problem switch
    {
        InvalidUtf8 => "the payload is not valid UTF-8",
        NotJson => $"the payload is not one JSON value (or is nested deeper than {MaxDepth} levels)",
        DuplicateKey => "an object in the payload has the same key twice",
        LoneSurrogate => "a string in the payload has a lone surrogate escape",
        _ => problem,
    };

    /// <summary>The JSON text of a handler's reply.</summary>
    public static ReadOnlyMemory<byte> Write(JsonNode? reply)
    {
        if (reply is null)
        {
            return "null"u8.ToArray();
        }

        var buffer = new ArrayBufferWriter<byte>();
        using (var writer = new Utf8JsonWriter(buffer))
        {
            reply.WriteTo(writer);
        }

        return buffer.WrittenMemory;
    }

    internal const string InvalidUtf8 = "invalid-utf8";
    internal const string NotJson = "not-json";
    internal const string DuplicateKey = "duplicate-key";
    internal const string LoneSurrogate = "lone-surrogate";

    private static string? Check(ReadOnlySpan<byte> payload)
    {
        if (!Utf8.IsValid(payload))
        {
            return InvalidUtf8;
        }

        var reader = new Utf8JsonReader(payload, new JsonReaderOptions { MaxDepth = MaxDepth });
        var keys = new Stack<HashSet<string>>();
        try
        {
            while (reader.Read())
            {
                switch (reader.TokenType)
                {
                    case JsonTokenType.StartObject:
                        keys.Push(new HashSet<string>(StringComparer.Ordinal));
                        break;
                    case JsonTokenType.EndObject:
                        keys.Pop();
                        break;
                    case JsonTokenType.PropertyName:
                        if (reader.ValueIsEscaped && HasLoneSurrogate(reader.ValueSpan))
                        {
                            return LoneSurrogate;
                        }

                        if (!keys.Peek().Add(reader.GetString()!))
                        {
                            return DuplicateKey;
                        }

                        break;
                    case JsonTokenType.String:
                        if (reader.ValueIsEscaped && HasLoneSurrogate(reader.ValueSpan))
                        {
                            return LoneSurrogate;
                        }

                        break;
                    default:
                        break;
                }
            }
        }
        catch (JsonException)
        {
            return NotJson;
        }

        // An empty payload reads no token at all.
        return reader.BytesConsumed == 0 ? NotJson : null;
    }

    /// <summary>
    /// Whether escaped JSON text (which the reader has checked: every escape is well formed) has a <c>\uD800</c>–<c>\uDBFF</c>
    /// escape not followed by a <c>\uDC00</c>–<c>\uDFFF</c> one, or a low one not preceded by a high one. Raw UTF-8 cannot
    /// hold a surrogate (<see cref="Utf8.IsValid"/> refuses it), so escapes are the only way in.
    /// </summary>
    private static bool HasLoneSurrogate(ReadOnlySpan<byte> escaped)
    {
        var expectLow = false;
        for (var i = 0; i < escaped.Length; i++)
        {
            if (escaped[i] != (byte)'\\')
            {
                if (expectLow)
                {
                    return true;
                }

                continue;
            }

            if (escaped[i + 1] != (byte)'u')
            {
                if (expectLow)
                {
                    return true;
                }

                i++;
                continue;
            }

            var unit = Hex(escaped.Slice(i + 2, 4));
            i += 5;
            var isHigh = unit is >= 0xD800 and <= 0xDBFF;
            var isLow = unit is >= 0xDC00 and <= 0xDFFF;
            if (expectLow != isLow)
            {
                return true;
            }

            expectLow = isHigh;
        }

        return expectLow;
    }

    private static int Hex(ReadOnlySpan<byte> four)
    {
        var value = 0;
        foreach (var b in four)
        {
            value = (value << 4) | b switch
            {
                >= (byte)'0' and <= (byte)'9' => b - '0',
                >= (byte)'a' and <= (byte)'f' => b - 'a' + 10,
                _ => b - 'A' + 10,
            };
        }

        return value;
    }
}
