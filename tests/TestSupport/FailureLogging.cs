using System.Reflection;
using System.Text.RegularExpressions;
using Microsoft.Extensions.Logging;

namespace IdentityReplicator.TestSupport;

/// <summary>
/// The rule "failures are logged with their exception" (docs/design/decisions.md), checked over one project: its
/// <c>[LoggerMessage]</c> declarations (by reflection) and its catch blocks (by reading its sources).
/// </summary>
public static partial class FailureLogging
{
    /// <summary>A Debug entry that carries the exception of a line whose message must not: its EventId is the line's plus this.</summary>
    public const int DetailOffset = 100;

    /// <summary>EventIds used by more than one <c>[LoggerMessage]</c> method of <paramref name="assembly"/>, one line each.</summary>
    public static IReadOnlyList<string> SharedEventIds(Assembly assembly) =>
        assembly.GetTypes()
            .SelectMany(t => t.GetMethods(BindingFlags.Static | BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.DeclaredOnly))
            .Select(m => (Method: m, Message: m.GetCustomAttribute<LoggerMessageAttribute>()))
            .Where(e => e.Message is not null)
            .GroupBy(e => e.Message!.EventId)
            .Where(g => g.Count() > 1)
            .Select(g => $"EventId {g.Key}: {string.Join(", ", g.Select(e => $"{e.Method.DeclaringType!.Name}.{e.Method.Name}"))}")
            .ToList();

    /// <summary>
    /// Every <c>[LoggerMessage]</c> method of <paramref name="assembly"/> at Warning or above must take an <see cref="Exception"/>,
    /// or have a companion <c>{Name}Detail</c> at Debug that takes it, with the EventId plus <see cref="DetailOffset"/>;
    /// only the entries in <paramref name="refusals"/> (input refused, nothing thrown; name → why) may have neither.
    /// Returns what breaks the rule, one line each.
    /// </summary>
    public static IReadOnlyList<string> EntriesWithoutTheirException(Assembly assembly, IReadOnlyDictionary<string, string> refusals)
    {
        var problems = new List<string>();
        var entries = assembly.GetTypes()
            .SelectMany(t => t.GetMethods(BindingFlags.Static | BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.DeclaredOnly))
            .Select(m => (Method: m, Message: m.GetCustomAttribute<LoggerMessageAttribute>()))
            .Where(e => e.Message is not null)
            .ToDictionary(e => $"{e.Method.DeclaringType!.FullName}.{e.Method.Name}", e => (e.Method, Message: e.Message!), StringComparer.Ordinal);
        foreach (var (name, (method, message)) in entries)
        {
            var takesException = method.GetParameters().Any(p => typeof(Exception).IsAssignableFrom(p.ParameterType));
            if (method.Name.EndsWith("Detail", StringComparison.Ordinal))
            {
                var line = entries.GetValueOrDefault(name[..^"Detail".Length]);
                if (message.Level != LogLevel.Debug || !takesException || line.Message is null || message.EventId != line.Message.EventId + DetailOffset)
                {
                    problems.Add($"{name} (EventId {message.EventId}) must be Debug, take the Exception, and follow a line {method.Name[..^"Detail".Length]} whose EventId is {message.EventId - DetailOffset}");
                }

                continue;
            }

            if (message.Level < LogLevel.Warning)
            {
                continue;
            }

            var hasDetail = entries.ContainsKey(name + "Detail");
            var refused = refusals.ContainsKey(method.Name);
            if (!takesException && !hasDetail && !refused)
            {
                problems.Add($"{name} (EventId {message.EventId}, {message.Level}) takes no Exception and has no {method.Name}Detail at Debug");
            }
            else if (refused && (takesException || hasDetail))
            {
                problems.Add($"{name} is listed as a refusal but carries an exception: take it off the list");
            }
        }

        problems.AddRange(refusals.Keys.Where(r => !entries.Keys.Any(k => k.EndsWith("." + r, StringComparison.Ordinal))).Select(r => $"{r} is listed as a refusal but is not a log entry"));
        return problems;
    }

    /// <summary>
    /// Every catch block under <c>src/{project}</c> that calls <c>Log.…</c> must pass the exception it caught to one of
    /// those calls (as an argument of its own, or as a branch of a conditional argument that leaves it out on purpose,
    /// e.g. a configuration problem whose message says everything). A cancellation the caller asked for
    /// (<c>catch (OperationCanceledException)</c> without a filter, or when a token's <c>IsCancellationRequested</c>) is
    /// not a failure. Returns the blocks that do not, as <c>file:line</c>.
    /// </summary>
    public static IReadOnlyList<string> CatchBlocksThatDropTheException(string project)
    {
        var root = Path.Combine(RepositoryRoot(), "src", project);
        var problems = new List<string>();
        foreach (var file in Sources(root))
        {
            var code = CodeOnly(File.ReadAllText(file));
            foreach (Match match in CatchKeyword().Matches(code))
            {
                var (variable, body, header) = CatchBlock(code, match.Index);
                if (StopRequested().IsMatch(header))
                {
                    // The operator or the host stopped the work: not a failure, nothing to carry.
                    continue;
                }

                var calls = LogCalls(body).ToList();
                if (calls.Count == 0 || (variable is not null && calls.Any(args => args.Any(a => Passes(a, variable)))))
                {
                    continue;
                }

                var line = code.AsSpan(0, match.Index).Count('\n') + 1;
                problems.Add($"{Path.GetRelativePath(root, file)}:{line}: {header} logs without passing {variable ?? "the exception (it has no name)"}");
            }
        }

        return problems;
    }

    /// <summary>
    /// How many catch blocks the reader finds in <c>src/{project}</c>, and how many lines there begin with <c>catch</c> (the
    /// house style): equal unless the reader lost its way in a string or a comment and skipped code.
    /// </summary>
    public static (int Found, int Written) CatchBlockCounts(string project)
    {
        var files = Sources(Path.Combine(RepositoryRoot(), "src", project)).Select(File.ReadAllText).ToList();
        return (files.Sum(f => CatchKeyword().Count(CodeOnly(f))), files.Sum(f => CatchLine().Count(f)));
    }

    private static IEnumerable<string> Sources(string root) =>
        Directory.EnumerateFiles(root, "*.cs", SearchOption.AllDirectories)
            .Where(f => !f.Contains($"{Path.DirectorySeparatorChar}obj{Path.DirectorySeparatorChar}", StringComparison.Ordinal)
                        && !f.Contains($"{Path.DirectorySeparatorChar}bin{Path.DirectorySeparatorChar}", StringComparison.Ordinal));

    /// <summary>An argument that is the caught exception, or a conditional with it as one branch (left out on purpose in the other).</summary>
    private static bool Passes(string argument, string variable) =>
        argument == variable || argument.EndsWith(" : " + variable, StringComparison.Ordinal) || argument.Contains(" ? " + variable + " : ", StringComparison.Ordinal);

    /// <summary>The catch at <paramref name="at"/>: its variable (null when unnamed), its block's text, and its header.</summary>
    private static (string? Variable, string Body, string Header) CatchBlock(string code, int at)
    {
        var i = at + "catch".Length;
        string? variable = null;
        i = SkipSpace(code, i);
        if (code[i] == '(')
        {
            var close = Matching(code, i, '(', ')');
            var declaration = code[(i + 1)..close].Trim().Split(' ', StringSplitOptions.RemoveEmptyEntries);
            variable = declaration.Length == 2 ? declaration[1] : null;
            i = SkipSpace(code, close + 1);
        }

        if (code.AsSpan(i).StartsWith("when", StringComparison.Ordinal))
        {
            i = SkipSpace(code, i + "when".Length);
            i = SkipSpace(code, Matching(code, i, '(', ')') + 1);
        }

        var end = Matching(code, i, '{', '}');
        var header = string.Join(' ', code[at..i].Split((char[])['\r', '\n', ' '], StringSplitOptions.RemoveEmptyEntries));
        return (variable, code[(i + 1)..end], header);
    }

    /// <summary>The argument lists (top-level, trimmed) of every <c>Log.Name(…)</c> call in <paramref name="body"/>.</summary>
    private static IEnumerable<string[]> LogCalls(string body)
    {
        foreach (Match call in LogCall().Matches(body))
        {
            var open = call.Index + call.Length - 1;
            var close = Matching(body, open, '(', ')');
            var arguments = new List<string>();
            int depth = 0, start = open + 1;
            for (var i = open + 1; i < close; i++)
            {
                depth += body[i] is '(' or '[' or '{' ? 1 : body[i] is ')' or ']' or '}' ? -1 : 0;
                if (depth == 0 && body[i] == ',')
                {
                    arguments.Add(body[start..i].Trim());
                    start = i + 1;
                }
            }

            arguments.Add(body[start..close].Trim());
            yield return [.. arguments];
        }
    }

    private static int SkipSpace(string code, int i)
    {
        while (char.IsWhiteSpace(code[i]))
        {
            i++;
        }

        return i;
    }

    private static int Matching(string code, int open, char opening, char closing)
    {
        var depth = 0;
        for (var i = open; i < code.Length; i++)
        {
            depth += code[i] == opening ? 1 : code[i] == closing ? -1 : 0;
            if (depth == 0)
            {
                return i;
            }
        }

        throw new InvalidOperationException($"No '{closing}' closes the '{opening}' at offset {open}.");
    }

    /// <summary>
    /// The source with comments, strings and character literals blanked (same length, newlines kept), so that braces
    /// and parentheses count as code only. Interpolation holes are blanked with their string: enough to find blocks.
    /// </summary>
    private static string CodeOnly(string source)
    {
        var code = source.ToCharArray();
        var i = 0;
        while (i < code.Length)
        {
            var start = i;
            if (At(source, i, "//"))
            {
                i = source.IndexOf('\n', i) is var newline and >= 0 ? newline : source.Length;
            }
            else if (At(source, i, "/*"))
            {
                i = source.IndexOf("*/", i + 2, StringComparison.Ordinal) + 2;
            }
            else if (RawStringStart().Match(source, i) is { Success: true } raw)
            {
                i = source.IndexOf("\"\"\"", i + raw.Length, StringComparison.Ordinal) + 3;
            }
            else if (At(source, i, "@\"") || At(source, i, "$@\"") || At(source, i, "@$\""))
            {
                i = source.IndexOf('"', i) + 1;
                while (i < source.Length && !(source[i] == '"' && (i + 1 >= source.Length || source[i + 1] != '"')))
                {
                    i += source[i] == '"' ? 2 : 1;
                }

                i++;
            }
            else if (source[i] == '"' || At(source, i, "$\""))
            {
                var interpolated = source[i] == '$';
                i = source.IndexOf('"', i) + 1;
                var holes = 0;
                while (i < source.Length && (source[i] != '"' || holes > 0))
                {
                    holes += !interpolated ? 0 : source[i] == '{' ? 1 : source[i] == '}' ? -1 : 0;
                    i += source[i] == '\\' ? 2 : 1;
                }

                i++;
            }
            else if (source[i] == '\'' && CharLiteral().Match(source, i) is { Success: true } literal)
            {
                i += literal.Length;
            }
            else
            {
                i++;
                continue;
            }

            for (var j = start; j < i && j < code.Length; j++)
            {
                code[j] = code[j] == '\n' ? '\n' : ' ';
            }
        }

        return new string(code);
    }

    private static bool At(string source, int i, string text) => source.AsSpan(i).StartsWith(text, StringComparison.Ordinal);

    private static string RepositoryRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "IdentityReplicator.sln")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException("The tests run from inside the repository.");
    }

    [GeneratedRegex(@"\bcatch\s*[({]")]
    private static partial Regex CatchKeyword();

    [GeneratedRegex("\\G\\$*\"\"\"")]
    private static partial Regex RawStringStart();

    [GeneratedRegex(@"^catch\s*\((OperationCanceledException|TaskCanceledException)( \w+)?\)\s*(when\s*\(\s*[\w.]+\.IsCancellationRequested\s*\))?\s*$")]
    private static partial Regex StopRequested();

    [GeneratedRegex(@"^[ \t]*catch\b", RegexOptions.Multiline)]
    private static partial Regex CatchLine();

    [GeneratedRegex(@"\bLog\.\w+\s*\(")]
    private static partial Regex LogCall();

    [GeneratedRegex(@"\G'(?:\\[^'\n]{1,9}|[^\\'\n])'")]
    private static partial Regex CharLiteral();
}
