using System.Text.RegularExpressions;
using CsCheck;
using IdentityReplicator.Failover.Plans;

namespace IdentityReplicator.Failover.Tests.Plans;

/// <summary>
/// Whatever the file holds, the reader accepts it or rejects it with a <see cref="PlanException"/> whose every problem
/// names the file, line and column — never another exception, never a hang (each case is bounded in time and memory).
/// </summary>
public sealed partial class PlanReaderFuzzTests
{
    private const string PlanFile = "fuzz.yaml";

    /// <summary>Pieces that mean something to YAML (and some that mean something to a parser's author).</summary>
    private static readonly string[] Tokens =
    [
        "&a ", "*a", "&a [*a]", "&a [*a, *a]", "<<: *a\n", "[", "]", "{", "}", ": ", ":", "- ", "? ", ",", "!!str ", "!!binary ",
        "!x ", "!<tag:x> ", "|\n", ">-\n", "'", "\"", "#", "\n", "\r\n", "\t", "  ", "---\n", "...\n", "%YAML 1.2\n",
        "%TAG ! tag:x,2026:\n", "~", "null", "\0", "\uD800", "\uFFFF", "\uFEFF", "\u2028", "é", "1e999", "-1",
        "99999999999999999999", "[[[[[[[[[[", "]]]]]]]]]]", "{a: 1}: x\n", "? [a, b]\n: 1\n", "\"\\ud800\"", "'it''s'",
        " #", "@", "`", "%", "&", "*", "\\", "version: 1\n", "environment:", "pools:", "primary:", "standby:",
        "excludeAttributes: custom:x\n", "regions: ", "values: ", "userPoolId: ", "region: us-east-1", "[]", "{}",
    ];

    /// <summary>A valid plan with 1–8 random edits: inserted tokens, deleted ranges, repeated or dropped lines, replaced values.</summary>
    private static readonly Gen<string> Mutated =
        Gen.Select(Gen.Int[0, PlanSamples.Valid.Count - 1], Gen.Select(Gen.Int[0, 4], Gen.Int, Gen.Int[0, Tokens.Length - 1], Gen.Int[1, 40]).Array[1, 8])
            .Select((seed, edits) => edits.Aggregate(PlanSamples.Valid[seed], (text, e) => Edit(text, e.Item1, e.Item2, Tokens[e.Item3], e.Item4)));

    /// <summary>Short texts from YAML's special characters.</summary>
    private static readonly Gen<string> Random = Gen.Char["-:[]{}?,&*!|>'\"%@`#\n \tab01~.\\"].Array[0, 300].Select(c => new string(c));

    /// <summary>Known attacks at random sizes: nesting up to 100,000 deep, alias bombs, long values, many keys.</summary>
    private static readonly Gen<string> Attacks = Gen.OneOf(
        Gen.Select(Gen.OneOf("flow-list", "flow-map", "block-list", "unclosed"), Gen.Int[1, 100_000]).Select((kind, depth) => PlanSamples.Nested(kind, depth)),
        Gen.Int[1, 9].Select(levels => PlanSamples.Laughs(levels)),
        Gen.Int[1, 200_000].Select(n => "environment: " + new string('x', n) + "\n"),
        Gen.Int[1, 20_000].Select(n => string.Concat(Enumerable.Range(0, n).Select(i => $"k{i}: v\n"))),
        Gen.Int[1, 20_000].Select(n => "version: [" + string.Join(", ", Enumerable.Repeat("1", n)) + "]\n"),
        Gen.Int[1, 5_000].Select(n => string.Concat(Enumerable.Repeat("environment: x\n", n))),
        Gen.Int[1, 200_000].Select(n => "pools: { primary: { userPoolId: " + new string('a', n) + "_!} }\n"));

    [Fact]
    public void Parse_MutatedPlans_AreAcceptedOrRejectedWithAPlanException() =>
        Mutated.Sample(AcceptedOrRejected, iter: 3_000);

    [Fact]
    public void Parse_RandomYaml_IsAcceptedOrRejectedWithAPlanException() =>
        Random.Sample(AcceptedOrRejected, iter: 2_000);

    [Fact]
    public void Parse_Attacks_AreRejectedWithinTheBudget() =>
        Attacks.Sample(AcceptedOrRejected, iter: 300);

    [Fact]
    public void Parse_UnmutatedSamples_AreAccepted()
    {
        foreach (var text in PlanSamples.Valid)
        {
            Assert.NotNull(BoundedParse.Run(text, PlanFile).Plan);
        }
    }

    private static void AcceptedOrRejected(string text)
    {
        var outcome = BoundedParse.Run(text, PlanFile);
        if (outcome.Plan is not null)
        {
            return;
        }

        var error = outcome.Rejection();
        Assert.NotEmpty(error.Problems);
        foreach (var problem in error.Problems)
        {
            Assert.Matches(Located(), problem);
        }
    }

    private static string Edit(string text, int kind, int at, string token, int length)
    {
        var position = (int)((uint)at % (uint)(text.Length + 1));
        var lines = text.Split('\n');
        var line = (int)((uint)at % (uint)lines.Length);
        return kind switch
        {
            0 => text.Insert(position, token),
            1 => text.Remove(position, Math.Min(length, text.Length - position)),
            2 => string.Join('\n', lines.Take(line + 1).Append(lines[line]).Concat(lines.Skip(line + 1))),
            3 => string.Join('\n', lines.Where((_, i) => i != line)),
            _ => string.Join('\n', lines.Select((l, i) => i == line && l.IndexOf(": ", StringComparison.Ordinal) is var colon and >= 0 ? l[..(colon + 2)] + token : l)),
        };
    }

    [GeneratedRegex(@"^fuzz\.yaml:[1-9][0-9]*:[1-9][0-9]*: \S")]
    private static partial Regex Located();
}
