using System.Globalization;

namespace IdentityReplicator.Cli.Bench;

/// <summary>The kinds of write the chaos benchmark's application makes in the primary.</summary>
internal enum ChaosChangeKind
{
    Create,
    AttributeEdit,
    AttributeDelete,
    Disable,
    Enable,
    Delete,

    /// <summary>A deleted username created again: a new user (new <c>sub</c>) under the old name.</summary>
    Recreate,
    GroupAdd,
    GroupRemove,
}

/// <summary>
/// One write in the primary. <see cref="Attributes"/> are the attributes created with (create, re-create) or set
/// (edit); <see cref="AttributeNames"/> those deleted; <see cref="Group"/> the group joined or left.
/// </summary>
internal sealed record ChaosChange(
    int Sequence,
    ChaosChangeKind Kind,
    string Username,
    bool ViaSignUp = false,
    IReadOnlyDictionary<string, string>? Attributes = null,
    IReadOnlyList<string>? AttributeNames = null,
    string? Group = null);

/// <summary>A SIGKILL of the worker: once the application has made <see cref="AfterWrites"/> writes, and <see cref="Delay"/> after that.</summary>
internal sealed record KillPoint(int AfterWrites, TimeSpan Delay);

/// <summary>
/// The benchmark's workload, generated from a seed so a run can be repeated: N users (even ones by SignUp +
/// ConfirmSignUp, odd ones by AdminCreateUser), then M changes of every kind, each valid for the state the changes
/// before it leave (only disabled users are enabled, only deleted usernames re-created, only members removed).
/// </summary>
internal static class ChaosPlan
{
    public const int GroupCount = 5;

    private static readonly string[] GivenNames = ["Ada", "Grace", "Alan", "Edsger", "Barbara", "Donald", "Frances", "Ken", "Margaret", "Tony"];
    private static readonly string[] FamilyNames = ["Lovelace", "Hopper", "Turing", "Dijkstra", "Liskov", "Knuth", "Allen", "Thompson", "Hamilton", "Hoare"];
    private static readonly string[] Tiers = ["free", "pro", "enterprise"];
    private static readonly string[] Plans = ["monthly", "yearly"];
    private static readonly string[] Deletable = ["custom:plan", "custom:department"];

    /// <summary>How often each kind of change is drawn (out of the sum).</summary>
    private static readonly (ChaosChangeKind Kind, int Weight)[] Weights =
    [
        (ChaosChangeKind.AttributeEdit, 3),
        (ChaosChangeKind.AttributeDelete, 1),
        (ChaosChangeKind.Disable, 1),
        (ChaosChangeKind.Enable, 1),
        (ChaosChangeKind.Delete, 1),
        (ChaosChangeKind.Recreate, 1),
        (ChaosChangeKind.GroupAdd, 2),
        (ChaosChangeKind.GroupRemove, 1),
    ];

    public static string Group(int i) => string.Create(CultureInfo.InvariantCulture, $"chaos-team-{i}");

    public static string Username(int i) => string.Create(CultureInfo.InvariantCulture, $"chaos-{i:D5}");

    /// <summary>Every incarnation of a username keeps its address, so pools can be compared by email as the demo does.</summary>
    public static string Email(string username) => username + "@example.com";

    public static IReadOnlyList<ChaosChange> Generate(int users, int changes, int seed)
    {
        var random = new Random(seed);
        var model = new ChaosLedger();
        var plan = new List<ChaosChange>(users + changes);
        for (var i = 0; i < users; i++)
        {
            Add(new ChaosChange(plan.Count, ChaosChangeKind.Create, Username(i), ViaSignUp: i % 2 == 0, Attributes: NewAttributes(random, Username(i), i % 2 == 0, plan.Count)));
        }

        for (var j = 0; j < changes; j++)
        {
            Add(Next(random, model, plan.Count));
        }

        return plan;

        void Add(ChaosChange change)
        {
            model.Apply(change, sub: null);
            plan.Add(change);
        }
    }

    /// <summary>
    /// <paramref name="kills"/> moments to kill the worker at, in order: each after a random share (5–95 %) of the
    /// application's <paramref name="writes"/>, and a random 0–1 s later still, so a kill can land anywhere in a call.
    /// </summary>
    public static IReadOnlyList<KillPoint> Kills(int kills, int writes, int seed)
    {
        var random = new Random(seed);
        return [.. Enumerable.Range(0, kills)
            .Select(_ => new KillPoint((int)(writes * (0.05 + (0.9 * random.NextDouble()))), TimeSpan.FromMilliseconds(random.Next(1000))))
            .OrderBy(k => k.AfterWrites)];
    }

    private static ChaosChange Next(Random random, ChaosLedger model, int sequence)
    {
        var total = Weights.Sum(w => w.Weight);
        while (true)
        {
            var roll = random.Next(total);
            var kind = Weights.First(w => (roll -= w.Weight) < 0).Kind;
            var candidates = model.Usernames.Where(u => Fits(kind, model.Current(u))).ToList();
            if (candidates.Count == 0)
            {
                continue;
            }

            var username = candidates[random.Next(candidates.Count)];
            var user = model.Current(username);
            switch (kind)
            {
                case ChaosChangeKind.AttributeEdit:
                    return new ChaosChange(sequence, kind, username, Attributes: Edit(random, sequence));
                case ChaosChangeKind.AttributeDelete:
                    var present = Deletable.Where(user!.Attributes.ContainsKey).ToList();
                    return new ChaosChange(sequence, kind, username, AttributeNames: [present[random.Next(present.Count)]]);
                case ChaosChangeKind.Recreate:
                    var viaSignUp = random.Next(2) == 0;
                    return new ChaosChange(sequence, kind, username, viaSignUp, NewAttributes(random, username, viaSignUp, sequence));
                case ChaosChangeKind.GroupAdd:
                    var outside = Enumerable.Range(0, GroupCount).Select(Group).Where(g => !user!.Groups.Contains(g)).ToList();
                    return new ChaosChange(sequence, kind, username, Group: outside[random.Next(outside.Count)]);
                case ChaosChangeKind.GroupRemove:
                    var inside = user!.Groups.Order(StringComparer.Ordinal).ToList();
                    return new ChaosChange(sequence, kind, username, Group: inside[random.Next(inside.Count)]);
                default:
                    return new ChaosChange(sequence, kind, username);
            }
        }
    }

    private static bool Fits(ChaosChangeKind kind, ChaosUserState? user) => kind switch
    {
        ChaosChangeKind.Recreate => user is null,
        ChaosChangeKind.AttributeDelete => user is not null && Deletable.Any(user.Attributes.ContainsKey),
        ChaosChangeKind.Disable => user is { Enabled: true },
        ChaosChangeKind.Enable => user is { Enabled: false },
        ChaosChangeKind.GroupAdd => user is not null && user.Groups.Count < GroupCount,
        ChaosChangeKind.GroupRemove => user is not null && user.Groups.Count > 0,
        _ => user is not null,
    };

    /// <summary>A user's attributes at creation; values carry the change's sequence so no two incarnations look alike.</summary>
    private static Dictionary<string, string> NewAttributes(Random random, string username, bool viaSignUp, int sequence)
    {
        var attributes = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["email"] = Email(username),
            ["given_name"] = string.Create(CultureInfo.InvariantCulture, $"{GivenNames[random.Next(GivenNames.Length)]}-{sequence}"),
            ["family_name"] = FamilyNames[random.Next(FamilyNames.Length)],
            ["custom:tier"] = Tiers[random.Next(Tiers.Length)],
            ["custom:plan"] = Plans[random.Next(Plans.Length)],
        };
        if (random.Next(3) != 0)
        {
            attributes["custom:department"] = string.Create(CultureInfo.InvariantCulture, $"dept-{sequence}");
        }

        if (!viaSignUp)
        {
            attributes["email_verified"] = "true";
        }

        return attributes;
    }

    /// <summary>An attribute edit: a new name for sure, sometimes a new tier and department too.</summary>
    private static Dictionary<string, string> Edit(Random random, int sequence)
    {
        var attributes = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["given_name"] = string.Create(CultureInfo.InvariantCulture, $"{GivenNames[random.Next(GivenNames.Length)]}-{sequence}"),
        };
        if (random.Next(2) == 0)
        {
            attributes["custom:tier"] = Tiers[random.Next(Tiers.Length)];
        }

        if (random.Next(3) == 0)
        {
            attributes["custom:department"] = string.Create(CultureInfo.InvariantCulture, $"dept-{sequence}");
        }

        return attributes;
    }
}
