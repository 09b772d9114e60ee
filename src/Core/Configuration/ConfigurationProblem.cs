namespace IdentityReplicator.Core.Configuration;

/// <summary>
/// One thing wrong with the settings: the <see cref="Key"/> as written in the configuration (<c>Mirror:FeedBuckets</c>,
/// or an environment variable's name where that is what was read), the <see cref="Value"/> found (null when the key
/// is missing or unknown, so no secret is ever quoted), and the <see cref="Expected"/> form. <see cref="Message"/> is
/// what the operator reads.
/// </summary>
public sealed record ConfigurationProblem
{
    private ConfigurationProblem(string key, string? value, string expected, string message)
    {
        Key = key;
        Value = value;
        Expected = expected;
        Message = message;
    }

    public string Key { get; }

    public string? Value { get; }

    public string Expected { get; }

    public string Message { get; }

    /// <summary>A value that is not of the setting's form: "Mirror:FeedBuckets is 'abc'; it must be a whole number."</summary>
    public static ConfigurationProblem Invalid(string key, string value, string expected) =>
        new(key, value, expected, $"{key} is '{value}'; it must be {expected}.");

    /// <summary>A required setting that has no value.</summary>
    public static ConfigurationProblem Missing(string key, string expected) =>
        new(key, null, expected, $"{key} is not set; it must be {expected}.");

    /// <summary>
    /// A key the tool does not read where every key is its own (a typo, or a setting of another version): with the
    /// nearest known name when one is a few edits away, else the names there are.
    /// </summary>
    /// <param name="parent">The section it is under (<c>Sweep</c>), or empty at the top level.</param>
    /// <param name="name">The unknown name (<c>Intervall</c>).</param>
    /// <param name="what">"a setting", "a section"…</param>
    /// <param name="known">The names that are known there.</param>
    public static ConfigurationProblem Unknown(string parent, string name, string what, IReadOnlyCollection<string> known)
    {
        string Key(string n) => parent.Length == 0 ? n : $"{parent}:{n}";
        var expected = Nearest(name, known) is { } nearest ? $"did you mean {Key(nearest)}?" : $"use one of {string.Join(", ", known)}.";
        return new(Key(name), null, expected, $"{Key(name)} is not {what} of idrep; {expected}");
    }

    /// <summary>A rule an options validator checks (a range, two settings that must agree); its message names the settings.</summary>
    public static ConfigurationProblem Rule(string message) => new(string.Empty, null, message, message);

    public override string ToString() => Message;

    /// <summary>The known name within a few edits of <paramref name="name"/> (a third of the known name's length, 1 to 3), or null.</summary>
    public static string? Nearest(string name, IEnumerable<string> known) =>
        known.Select(k => (Name: k, Distance: EditDistance.Of(name, k)))
            .Where(k => k.Distance <= Math.Clamp(k.Name.Length / 3, 1, 3))
            .OrderBy(k => k.Distance)
            .Select(k => k.Name)
            .FirstOrDefault();
}
