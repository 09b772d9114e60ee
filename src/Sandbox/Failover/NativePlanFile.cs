using System.Text.Json.Nodes;

namespace IdentityReplicator.Sandbox.Failover;

/// <summary>
/// The sandbox's failover plan in native mode (<c>idrep sandbox up --native-replica</c>): today's plan with
/// <c>cognito: { mode: native }</c> and the primary's simulated native replica as the standby — the same pool id and app
/// client at the standby Region's endpoint. Its journeys are those a secondary serves (password sign-in, a disabled user
/// refused, group claims, the hosted UI's callback URLs); the original-sub claim is the replicator's and the token
/// journeys are left out (docs/native-replication.md, "The drill").
/// </summary>
internal static class NativePlanFile
{
    public static string Of(SandboxEnvironment sandbox, SandboxPool replica, JsonObject description)
    {
        var native = description.DeepClone().AsObject();

        // No OAuth2 endpoints: the sandbox's token endpoints serve their own Region's pool, not the replica.
        foreach (var side in new[] { "primary", "standby" })
        {
            native[side]!.AsObject().Remove("tokenEndpoint");
            native[side]!.AsObject().Remove("jwksUri");
        }

        var plan = sandbox.Failover.Plan(sandbox.Primary, replica, sandbox.MirrorEndpoint, sandbox.TableName, sandbox.FeedBuckets, SandboxEnvironment.AccessKey, native);
        var journeys = string.Join(
            '\n',
            sandbox.Failover.JourneysPlan(native).Split('\n').Where(line => !line.TrimStart().StartsWith("primarySubClaim:", StringComparison.Ordinal)));
        const string drill = "drill: true";
        var at = plan.IndexOf('\n', plan.IndexOf("\n" + drill, StringComparison.Ordinal) + 1) + 1;
        return "# Native mode: the standby is the primary pool's Cognito native replica (same pool id, the standby Region's endpoint).\n"
            + plan[..at]
            + "cognito: { mode: native }         # preflight: replica ACTIVE + one canary round trip; no fence, drain or reverse\n"
            + plan[at..]
            + journeys;
    }
}
