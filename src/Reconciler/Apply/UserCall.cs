using System.Collections.Immutable;
using System.Text;

namespace IdentityReplicator.Reconciler.Apply;

/// <summary>
/// One Cognito call of a <see cref="UserPlan"/>, as data. Every call acts on the plan's one target user, whose
/// username is known only once it exists (a pool that signs in by email or phone gives a user a UUID username when
/// <see cref="CreateUser"/> runs), so only <see cref="CreateUser"/> carries a name. Passwords are no part of a plan:
/// the executor makes a fresh random one for each call that needs one (<see cref="RandomPasswords"/>).
/// </summary>
internal abstract record UserCall
{
    private UserCall()
    {
    }

    /// <summary>AdminCreateUser (no message) under <paramref name="Name"/>: the username, or the email or phone number a pool that signs in by alias creates users under.</summary>
    public sealed record CreateUser(string Name, IReadOnlyDictionary<string, string> Attributes) : UserCall
    {
        protected override bool PrintMembers(StringBuilder builder) => Print(builder, $"{Attributes.Count} attributes: {NameList(Attributes.Keys)}");
    }

    /// <summary>AdminUpdateUserAttributes: every attribute to write, verified flags beside the email or phone they go with.</summary>
    public sealed record UpdateAttributes(IReadOnlyDictionary<string, string> Attributes) : UserCall
    {
        protected override bool PrintMembers(StringBuilder builder) => Print(builder, NameList(Attributes.Keys));
    }

    /// <summary>AdminDeleteUserAttributes.</summary>
    public sealed record DeleteAttributes(IReadOnlyList<string> Names) : UserCall
    {
        protected override bool PrintMembers(StringBuilder builder) => Print(builder, NameList(Names));
    }

    /// <summary>AdminSetUserPassword with Permanent=true: the user becomes CONFIRMED.</summary>
    public sealed record SetPermanentPassword : UserCall;

    /// <summary>AdminSetUserPassword with Permanent=false: the user becomes FORCE_CHANGE_PASSWORD.</summary>
    public sealed record SetTemporaryPassword : UserCall;

    /// <summary>AdminEnableUser or AdminDisableUser.</summary>
    public sealed record SetEnabled(bool Enabled) : UserCall;

    /// <summary>AdminAddUserToGroup.</summary>
    public sealed record AddToGroup(string Group) : UserCall;

    /// <summary>AdminRemoveUserFromGroup.</summary>
    public sealed record RemoveFromGroup(string Group) : UserCall;

    /// <summary>AdminDeleteUser.</summary>
    public sealed record DeleteUser : UserCall;

    // Attribute names only: a plan printed in a test failure or a debugger shows no attribute values.
    private static string NameList(IEnumerable<string> names) => string.Join(", ", names);

    private static bool Print(StringBuilder builder, string text)
    {
        builder.Append(text);
        return true;
    }
}

/// <summary>
/// What the planner decided for one user: the calls to make, in order — or why none are made: the source user's status
/// is not replicated (<see cref="NotReplicated"/>), or the target pool cannot take the user as it is (<see cref="Park"/>).
/// </summary>
internal sealed record UserPlan
{
    /// <summary>No call: the target is in step, or there is nothing to act on.</summary>
    public static readonly UserPlan Nothing = new();

    public ImmutableArray<UserCall> Calls { get; init; } = [];

    /// <summary>Why the user is not replicated (e.g. "status UNCONFIRMED is not replicated"); null when it is.</summary>
    public string? NotReplicated { get; init; }

    /// <summary>Why the target pool cannot take the user; null when it can.</summary>
    public ParkDecision? Park { get; init; }

    /// <summary>Whether the plan stops short of the target user: not replicated, or parked.</summary>
    public bool Stops => NotReplicated is not null || Park is not null;

    /// <summary>Whether the plan creates the target user (its first call is <see cref="UserCall.CreateUser"/>).</summary>
    public bool Creates => Calls.Length > 0 && Calls[0] is UserCall.CreateUser;

    public UserPlan Then(IEnumerable<UserCall> more) => this with { Calls = Calls.AddRange(more) };
}

/// <summary>
/// Why the target pool cannot take a user: the code stored with the parked entity (and the metric's tag), and a message
/// for the operator that names attributes, never their values.
/// </summary>
/// <param name="Code">The parking code: <c>SchemaMismatch</c>, <c>ImmutableAttribute</c> or <c>NoSignInAlias</c>.</param>
/// <param name="Reason">What is wrong and what to do, naming attributes only.</param>
/// <param name="SchemaDependent">Whether a fresh read of the pool's schema could change the verdict (an operator may since have added the attribute).</param>
internal sealed record ParkDecision(string Code, string Reason, bool SchemaDependent = false);
