using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.RegularExpressions;

namespace IdentityReplicator.Failover.Plans;

/// <summary>
/// Reads a plan file (YAML, or JSON — which is YAML too) and validates it. Unknown fields are errors, with the nearest
/// known name suggested, so a typo never silently drops a setting. All problems are reported at once, each with the
/// file, line and column. Any file is accepted or rejected quickly and in little memory: files are at most
/// <see cref="MaxLength"/>, and YAML anchors and aliases are refused, nesting and size are bounded
/// (<see cref="YamlTreeReader"/>). The plan's rules are in <c>PlanReader.Rules.cs</c>; the binding is generic (<see cref="YamlBinder"/>).
/// </summary>
public static partial class PlanReader
{
    public const int Version = 1;

    /// <summary>The largest plan file read, in bytes (and characters): 1 MiB, hundreds of times a real plan.</summary>
    public const int MaxLength = 1024 * 1024;

    /// <summary>What the file is called in messages, and its root's path: <c>(plan)</c>.</summary>
    private const string Noun = "plan";

    private static readonly string Root = YamlTreeReader.RootName(Noun);

    /// <summary>A plan nests 6 levels at most (dns.records[0].values.primary[0]); it has a few hundred values.</summary>
    private static readonly YamlLimits Limits = new(MaxDepth: 32, MaxNodes: 10_000);

    private const int MaxProblems = 50;

    private static readonly UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    public static async Task<FailoverPlan> LoadAsync(string path, CancellationToken cancellationToken)
    {
        var full = Path.GetFullPath(path);
        if (!File.Exists(full))
        {
            throw Rejected(full, "the plan file (--plan) does not exist; see docs/failover-plan.md for a commented example, or run 'idrep sandbox up' for one that fits the sandbox.");
        }

        byte[] bytes;
        try
        {
            var length = new FileInfo(full).Length;
            if (length > MaxLength)
            {
                throw Rejected(full, TooLong(length, "bytes"));
            }

            bytes = await File.ReadAllBytesAsync(full, cancellationToken);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new PlanException(new PlanProblem(full, 0, 0, Root, $"the plan file cannot be read ({e.Message}); check the path and its permissions."), e);
        }

        if (bytes.Length > MaxLength)
        {
            throw Rejected(full, TooLong(bytes.Length, "bytes"));
        }

        string text;
        try
        {
            var bom = StrictUtf8.Preamble.Length;
            text = bytes.AsSpan().StartsWith(StrictUtf8.Preamble) ? StrictUtf8.GetString(bytes, bom, bytes.Length - bom) : StrictUtf8.GetString(bytes);
        }
        catch (DecoderFallbackException e)
        {
            throw new PlanException(new PlanProblem(full, 0, 0, Root, "the plan file is not UTF-8 text; save it as UTF-8 (every editor can)."), e);
        }

        return Parse(text, full);
    }

    public static FailoverPlan Parse(string text, string? sourcePath = null)
    {
        var file = sourcePath ?? "plan";
        if (text.Length > MaxLength)
        {
            throw Rejected(file, TooLong(text.Length, "characters"));
        }

        var tree = YamlTreeReader.Read(text, Limits, Noun);
        var binder = new YamlBinder(Noun, MaxProblems);
        foreach (var problem in tree.Problems)
        {
            binder.Problem(problem.At, problem.Path, problem.Message);
        }

        FailoverPlan? plan = null;
        if (tree.Complete && tree.Root is null or YamlTreeScalar { IsNull: true })
        {
            binder.Problem(TextPosition.Start, Root, "The plan is empty; write at least version, environment and pools — docs/failover-plan.md has a commented example.");
        }
        else if (tree.Complete)
        {
            plan = new Rules(binder).Plan(tree.Root!);
        }

        if (binder.Problems.Count > 0 || plan is null)
        {
            throw new PlanException(Located(file, binder));
        }

        return plan with
        {
            SourcePath = sourcePath,
            ContentHash = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text)))[..16],
        };
    }

    /// <summary>Durations as <c>30s</c>, <c>2m</c>, <c>500ms</c>, <c>1h</c> or <c>hh:mm:ss</c>.</summary>
    public static bool TryParseDuration(string text, out TimeSpan value)
    {
        var match = DurationPattern().Match(text.Trim());
        if (match.Success)
        {
            var number = double.Parse(match.Groups[1].Value, CultureInfo.InvariantCulture);
            var milliseconds = number * match.Groups[2].Value switch
            {
                "ms" => 1,
                "s" => 1_000,
                "m" => 60_000,
                _ => 3_600_000,
            };

            // Longer than a TimeSpan holds (about 29,000 years) is not a duration: the caller names the field.
            value = milliseconds < TimeSpan.MaxValue.TotalMilliseconds ? TimeSpan.FromMilliseconds(milliseconds) : default;
            return milliseconds < TimeSpan.MaxValue.TotalMilliseconds;
        }

        return TimeSpan.TryParse(text, CultureInfo.InvariantCulture, out value);
    }

    private static PlanException Rejected(string file, string message) => new([new PlanProblem(file, 0, 0, Root, message)]);

    private static string TooLong(long length, string unit) =>
        $"the plan is {length.ToString("N0", CultureInfo.InvariantCulture)} {unit}; a plan file is at most 1 MiB ({MaxLength.ToString("N0", CultureInfo.InvariantCulture)} {unit}) — is this the right file?";

    private static List<PlanProblem> Located(string file, YamlBinder binder)
    {
        var problems = binder.Problems
            .OrderBy(p => p.At.Line)
            .ThenBy(p => p.At.Column)
            .Select(p => new PlanProblem(file, p.At.Line, p.At.Column, p.Path, p.Message))
            .ToList();
        if (binder.Omitted > 0)
        {
            problems.Add(new PlanProblem(file, binder.FirstOmittedAt.Line, binder.FirstOmittedAt.Column, Root, $"… and {binder.Omitted} more problem(s) from here on; fix those above first."));
        }

        return problems;
    }

    [GeneratedRegex("^([0-9]+(?:\\.[0-9]+)?)(ms|s|m|h)$")]
    private static partial Regex DurationPattern();

    [GeneratedRegex("^[a-z]{2}(-[a-z]+)+-[0-9]+$")]
    internal static partial Regex RegionPattern();

    [GeneratedRegex("^[\\w-]+_[0-9a-zA-Z]+$")]
    internal static partial Regex PoolIdPattern();
}
