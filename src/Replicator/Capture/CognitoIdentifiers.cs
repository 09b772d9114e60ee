using System.Globalization;
using System.Text;

namespace IdentityReplicator.Replicator.Capture;

/// <summary>
/// Cognito's own limits on the identifiers an event can name, from the cognito-idp API model (2016-04-18):
/// <c>UsernameType</c> and <c>GroupNameType</c> are 1–128 characters matching <c>[\p{L}\p{M}\p{S}\p{N}\p{P}]+</c>
/// (letters, marks, symbols, numbers, punctuation — no spaces or control characters); a <c>sub</c> is a UUID. Cognito
/// answers anything else with <c>InvalidParameterException</c>, however often it is asked, so capture checks first and
/// drops such an event once instead of letting it be retried. Lengths count Unicode characters (scalar values), as the
/// model's length constraints do, not UTF-16 code units.
/// </summary>
internal static class CognitoIdentifiers
{
    public const int MaxNameLength = 128;

    /// <summary>A username (or an alias that stands for one: an email address or phone number) Cognito accepts.</summary>
    public static bool IsUsername(string value) => IsName(value);

    public static bool IsGroupName(string value) => IsName(value);

    /// <summary>A <c>sub</c> as Cognito assigns them: a UUID in its 36-character form.</summary>
    public static bool IsSub(string value) => value.Length == 36 && Guid.TryParseExact(value, "D", out _);

    /// <summary>
    /// What is wrong with the identifiers an event names (each may be absent), or <c>null</c> when Cognito would accept
    /// them. Names the field and the rule, never the value (it may be an email address).
    /// </summary>
    public static string? Problem(string? username, string? sub, string? groupName)
    {
        if (username is not null && !IsUsername(username))
        {
            return $"the username is not one Cognito accepts (1–{MaxNameLength} letters, marks, symbols, numbers or punctuation; this one has {Length(username)} characters)";
        }

        if (sub is not null && !IsSub(sub))
        {
            return $"the sub is not a UUID as Cognito assigns them ({Length(sub)} characters)";
        }

        if (groupName is not null && !IsGroupName(groupName))
        {
            return $"the group name is not one Cognito accepts (1–{MaxNameLength} letters, marks, symbols, numbers or punctuation; this one has {Length(groupName)} characters)";
        }

        return null;
    }

    private static bool IsName(string value)
    {
        var count = 0;
        var rest = value.AsSpan();
        while (!rest.IsEmpty)
        {
            if (Rune.DecodeFromUtf16(rest, out var rune, out var used) != System.Buffers.OperationStatus.Done
                || ++count > MaxNameLength
                || !Allowed(Rune.GetUnicodeCategory(rune)))
            {
                return false;
            }

            rest = rest[used..];
        }

        return count > 0;
    }

    /// <summary>Letters (L), marks (M), symbols (S), numbers (N) and punctuation (P).</summary>
    private static bool Allowed(UnicodeCategory category) => category switch
    {
        UnicodeCategory.UppercaseLetter or UnicodeCategory.LowercaseLetter or UnicodeCategory.TitlecaseLetter
            or UnicodeCategory.ModifierLetter or UnicodeCategory.OtherLetter => true,
        UnicodeCategory.NonSpacingMark or UnicodeCategory.SpacingCombiningMark or UnicodeCategory.EnclosingMark => true,
        UnicodeCategory.MathSymbol or UnicodeCategory.CurrencySymbol or UnicodeCategory.ModifierSymbol or UnicodeCategory.OtherSymbol => true,
        UnicodeCategory.DecimalDigitNumber or UnicodeCategory.LetterNumber or UnicodeCategory.OtherNumber => true,
        UnicodeCategory.ConnectorPunctuation or UnicodeCategory.DashPunctuation or UnicodeCategory.OpenPunctuation
            or UnicodeCategory.ClosePunctuation or UnicodeCategory.InitialQuotePunctuation or UnicodeCategory.FinalQuotePunctuation
            or UnicodeCategory.OtherPunctuation => true,
        _ => false,
    };

    private static int Length(string value) => value.EnumerateRunes().Count();
}
