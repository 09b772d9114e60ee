using System.Globalization;
using System.CommandLine;
using System.CommandLine.Parsing;
using IdentityReplicator.Core.Configuration;

namespace IdentityReplicator.Cli.Commands;

/// <summary>
/// Options whose values are numbers, durations, URLs or names from a list. Each reads its value with its own parser,
/// range included, so a value it cannot use is a usage error (exit code 2) that names the option and the form it
/// accepts — "--users is 'abc'; it must be a whole number from 1 to 100000." — and never an exception from a
/// validator reading a value that did not parse. Use these for every option that is not text, a flag or a path.
/// </summary>
internal static class TypedOptions
{
    /// <summary>A whole number from <paramref name="min"/> to <paramref name="max"/> (<see cref="int.MaxValue"/>: no upper limit).</summary>
    public static Option<int> WholeNumber(string name, string description, int defaultValue, int min, int max, params string[] aliases)
    {
        var form = max == int.MaxValue ? $"{SettingValues.WholeNumber}, {min} or more" : $"{SettingValues.WholeNumber} from {min} to {max}";
        return new Option<int>(name, aliases)
        {
            Description = description,
            DefaultValueFactory = _ => defaultValue,
            CustomParser = result => Read<int>(result, name, form, text => SettingValues.TryWholeNumber(text, out var value) && value >= min && value <= max ? value : null),
        };
    }

    /// <summary>An optional number greater than 0 (no default: the command chooses).</summary>
    public static Option<double?> PositiveNumber(string name, string description)
    {
        const string form = "a number greater than 0, such as 2 or 0.5";
        return new Option<double?>(name)
        {
            Description = description,
            CustomParser = result => Read<double>(result, name, form, text => SettingValues.TryNumber(text, out var value) && value > 0 && double.IsFinite(value) ? value : null),
        };
    }

    /// <summary>A share from 0 to <paramref name="max"/>, such as 0.2.</summary>
    public static Option<double> Fraction(string name, string description, double defaultValue, double max)
    {
        var form = $"a number from 0 to {max.ToString(CultureInfo.InvariantCulture)}, such as 0.2";
        return new Option<double>(name)
        {
            Description = description + $" Default {defaultValue.ToString(CultureInfo.InvariantCulture)}.",
            DefaultValueFactory = _ => defaultValue,
            CustomParser = result => Read<double>(result, name, form, text => SettingValues.TryNumber(text, out var value) && value >= 0 && value <= max ? value : null),
        };
    }

    /// <summary>A duration that is not negative, written as configuration durations are (<c>00:00:05</c>).</summary>
    public static Option<TimeSpan> Duration(string name, string description, TimeSpan defaultValue)
    {
        const string form = $"{SettingValues.Duration}, not negative";
        return new Option<TimeSpan>(name)
        {
            Description = description,
            DefaultValueFactory = _ => defaultValue,
            CustomParser = result => Read<TimeSpan>(result, name, form, text => SettingValues.TryDuration(text, out var value) && value >= TimeSpan.Zero ? value : null),
        };
    }

    /// <summary>An absolute http or https URL. (System.CommandLine has no parser for <see cref="Uri"/> of its own.)</summary>
    public static Option<Uri> HttpUrl(string name, string description, Uri defaultValue)
    {
        var form = $"an absolute http(s) URL such as {defaultValue}";
        return new Option<Uri>(name)
        {
            Description = description,
            DefaultValueFactory = _ => defaultValue,
            CustomParser = result =>
            {
                var text = Text(result, name, form);
                if (text is not null && Uri.TryCreate(text, UriKind.Absolute, out var url) && (url.Scheme == Uri.UriSchemeHttp || url.Scheme == Uri.UriSchemeHttps))
                {
                    return url;
                }

                if (text is not null)
                {
                    result.AddError($"{name} is '{text}'; it must be {form}.");
                }

                return defaultValue;
            },
        };
    }

    /// <summary>One of an enumeration's names, in any letter case (numbers are not names), shown and listed in lower case.</summary>
    public static Option<TEnum> OneOf<TEnum>(string name, string description, TEnum defaultValue, params string[] aliases)
        where TEnum : struct, Enum
    {
        var names = Enum.GetNames<TEnum>().Select(n => n.ToLowerInvariant()).ToList();
        var form = $"one of {string.Join(", ", names)}";
        var option = new Option<TEnum>(name, aliases)
        {
            Description = description,
            HelpName = string.Join('|', names),
            CustomParser = result => Read<TEnum>(result, name, form, text =>
                Enum.GetNames<TEnum>().FirstOrDefault(n => string.Equals(n, text, StringComparison.OrdinalIgnoreCase)) is { } known ? Enum.Parse<TEnum>(known) : null),
        };

        // Help prints a default as .NET writes it ("[default: Text]"); the description says it in lower case instead.
        if (!EqualityComparer<TEnum>.Default.Equals(defaultValue, default))
        {
            option.DefaultValueFactory = _ => defaultValue;
        }

        return option;
    }

    private static T Read<T>(ArgumentResult result, string name, string form, Func<string, T?> parse)
        where T : struct
    {
        var text = Text(result, name, form);
        if (text is not null && parse(text) is { } value)
        {
            return value;
        }

        if (text is not null)
        {
            result.AddError($"{name} is '{text}'; it must be {form}.");
        }

        return default;
    }

    private static string? Text(ArgumentResult result, string name, string form)
    {
        if (result.Tokens.Count == 0)
        {
            result.AddError($"{name} needs a value: {form}.");
            return null;
        }

        return result.Tokens[^1].Value;
    }
}
