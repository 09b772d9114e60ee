using System.Globalization;

namespace IdentityReplicator.Core.Configuration;

/// <summary>
/// The forms a setting's text may take, parsed exactly as the configuration binder parses them (invariant culture),
/// and the words that name each form in messages. One vocabulary for the config file, <c>IDREP_</c> environment
/// variables, the Lambda function's environment and the command line's options.
/// </summary>
public static class SettingValues
{
    public const string WholeNumber = "a whole number";
    public const string Number = "a number such as 0.5";
    public const string TrueOrFalse = "true or false";
    public const string Duration = "a duration like 00:00:05";

    public static bool TryWholeNumber(string text, out int value) => int.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out value);

    public static bool TryNumber(string text, out double value) => double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out value);

    public static bool TryDuration(string text, out TimeSpan value) => TimeSpan.TryParse(text, CultureInfo.InvariantCulture, out value);

    /// <summary>The accepted form of a setting of <paramref name="type"/>, or null when any text is accepted (text settings).</summary>
    public static string? FormOf(Type type)
    {
        type = Nullable.GetUnderlyingType(type) ?? type;
        return type switch
        {
            _ when type == typeof(int) || type == typeof(long) => WholeNumber,
            _ when type == typeof(double) || type == typeof(decimal) => Number,
            _ when type == typeof(bool) => TrueOrFalse,
            _ when type == typeof(TimeSpan) => Duration,
            _ when type.IsEnum => $"one of {string.Join(", ", Enum.GetNames(type))}",
            _ => null,
        };
    }

    /// <summary>Whether the binder can turn <paramref name="text"/> into a <paramref name="type"/>.</summary>
    public static bool IsValid(Type type, string text)
    {
        type = Nullable.GetUnderlyingType(type) ?? type;
        return type switch
        {
            _ when type == typeof(int) => TryWholeNumber(text, out _),
            _ when type == typeof(long) => long.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out _),
            _ when type == typeof(double) => TryNumber(text, out _),
            _ when type == typeof(decimal) => decimal.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out _),
            _ when type == typeof(bool) => bool.TryParse(text, out _),
            _ when type == typeof(TimeSpan) => TryDuration(text, out _),
            _ when type.IsEnum => Enum.TryParse(type, text, ignoreCase: true, out _),
            _ => true,
        };
    }
}
