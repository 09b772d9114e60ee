using System.Globalization;

namespace IdentityReplicator.Reconciler.Drift.Formats;

/// <summary>A count with its noun in the right number: "1 difference", "2 differences" (never "1 differences").</summary>
internal static class Counted
{
    public static string Of(int count, string singular, string? plural = null) =>
        string.Create(CultureInfo.InvariantCulture, $"{count} {(count == 1 ? singular : plural ?? singular + "s")}");
}
