using System.Globalization;

namespace IdentityReplicator.Cli.Demo;

/// <summary>One made-up user of the demo (example.com addresses only).</summary>
internal sealed record DemoUser(int Index, string Email, string Username, bool ViaSignUp, IReadOnlyDictionary<string, string> Attributes);

/// <summary>Deterministic demo users: half sign up themselves (SignUp + ConfirmSignUp), half are created by an admin.</summary>
internal static class DemoUsers
{
    private static readonly string[] GivenNames = ["Ada", "Grace", "Alan", "Edsger", "Barbara", "Donald", "Frances", "Ken", "Margaret", "Tony"];
    private static readonly string[] FamilyNames = ["Lovelace", "Hopper", "Turing", "Dijkstra", "Liskov", "Knuth", "Allen", "Thompson", "Hamilton", "Hoare"];
    private static readonly string[] Tiers = ["free", "pro", "enterprise"];
    private static readonly string[] Plans = ["monthly", "yearly"];
    private static readonly string[] Departments = ["engineering", "sales", "support", "finance"];

    public static IReadOnlyList<DemoUser> Generate(int count, string runTag) => [.. Enumerable.Range(0, count).Select(i =>
    {
        var email = string.Create(CultureInfo.InvariantCulture, $"demo.{runTag}.{i:D5}@example.com");
        var given = GivenNames[i % GivenNames.Length];
        var family = FamilyNames[(i / GivenNames.Length) % FamilyNames.Length];
        var attributes = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["email"] = email,
            ["given_name"] = given,
            ["family_name"] = family,
            ["name"] = $"{given} {family}",
            ["custom:tier"] = Tiers[i % Tiers.Length],
            ["custom:plan"] = Plans[i % Plans.Length],
        };
        if (i % 3 != 0)
        {
            attributes["custom:department"] = Departments[i % Departments.Length];
        }

        var viaSignUp = i % 2 == 0;
        if (!viaSignUp)
        {
            attributes["email_verified"] = "true";
        }

        return new DemoUser(i, email, string.Create(CultureInfo.InvariantCulture, $"demo-{runTag}-{i:D5}"), viaSignUp, attributes);
    })];
}
