using System.Text.Json.Nodes;
using IdentityReplicator.Core.Cognito;
using IdentityReplicator.Core.Configuration;
using IdentityReplicator.Failover.Plans;
using IdentityReplicator.Failover.Preflight;

namespace IdentityReplicator.Failover.Journeys;

/// <summary>
/// Runs the plan's synthetic journeys against the pool a run moves to — the sign-ins and token requests the
/// application's users and machine callers will make after the cut-over — and reports each with its time and what it
/// saw. A journey never throws for what it checks: a refusal, a wrong claim or an unreachable endpoint is a failed
/// journey whose detail says what to fix. Secrets and tokens are used, never reported.
/// </summary>
internal sealed class JourneyRunner(FailoverPlan plan, ISignInProbe signIn, IJourneyPools? pools, ITokenEndpoint? tokens, TimeProvider time)
{
    public const string PasswordSignIn = "password-sign-in";
    public const string M2mToken = "m2m-token";
    public const string RelayToken = "relay-token";
    public const string DisabledUserRefused = "disabled-user-refused";
    public const string GroupClaims = "group-claims";
    public const string PrimarySubClaim = "primary-sub-claim";
    public const string HostedUiConfig = "hosted-ui-config";

    private const string ClientCredentials = "client_credentials";

    /// <summary>What each journey of <paramref name="plan"/> will check when a run moves to <paramref name="to"/>.</summary>
    public static IReadOnlyList<JourneyPreview> Describe(FailoverPlan plan, PoolRole to)
    {
        var pool = plan.Pools.For(to);
        var j = plan.Journeys;
        var list = new List<JourneyPreview>();
        if (plan.SignIn is { } s)
        {
            list.Add(new(PasswordSignIn, $"'{s.Username}' signs in with a password to {pool.UserPoolId} through app client {pool.AppClientId}"));
        }

        foreach (var client in j.MachineClients)
        {
            list.Add(new(M2mToken, $"client '{client.Name}' of {pool.UserPoolId} (secret read from that pool) gets a client_credentials token at {pool.TokenEndpoint}, valid against {pool.Jwks}, with scope(s) {Scopes(client)}"));
        }

        if (j.RelayEndpoint is { } relay)
        {
            foreach (var client in j.MachineClients)
            {
                list.Add(new(RelayToken, $"client '{client.Name}' with the primary's client id gets a token through the relay {relay}, issued by {pool.Issuer}"));
            }
        }

        if (j.DisabledUser is { } disabled)
        {
            list.Add(new(DisabledUserRefused, $"'{disabled}', disabled in the source, is refused by {pool.UserPoolId}"));
        }

        if (!j.Groups.IsEmpty)
        {
            list.Add(new(GroupClaims, $"the ID token of '{plan.SignIn?.Username}' lists cognito:groups {string.Join(", ", j.Groups)}"));
        }

        if (j.PrimarySubClaim is { } claim)
        {
            list.Add(new(PrimarySubClaim, to == PoolRole.Standby
                ? $"the ID token of '{plan.SignIn?.Username}' carries '{claim}', the user's original sub"
                : $"the ID token of '{plan.SignIn?.Username}' carries '{claim}' when the user came from the standby (else its sub is the original)"));
        }

        if (!j.CallbackUrls.IsEmpty)
        {
            list.Add(new(HostedUiConfig, $"app client {pool.AppClientId} of {pool.UserPoolId} lists callback URL(s) {string.Join(", ", j.CallbackUrls)}"));
        }

        return list;
    }

    public async Task<IReadOnlyList<JourneyResult>> RunAsync(PoolRole to, CancellationToken cancellationToken)
    {
        var j = plan.Journeys;
        var results = new List<JourneyResult>();
        if (plan.SignIn is not null)
        {
            results.Add(await TimedAsync(PasswordSignIn, async ct =>
            {
                var (ok, detail) = await signIn.SignInAsync(to, ct);
                return (ok, detail);
            }, cancellationToken));
        }

        foreach (var client in j.MachineClients)
        {
            results.Add(await TimedAsync(M2mToken, ct => MachineTokenAsync(to, client, relay: null, ct), cancellationToken));
        }

        if (j.RelayEndpoint is { } relayEndpoint)
        {
            foreach (var client in j.MachineClients)
            {
                results.Add(await TimedAsync(RelayToken, ct => MachineTokenAsync(to, client, relayEndpoint, ct), cancellationToken));
            }
        }

        if (j.DisabledUser is { } disabled)
        {
            results.Add(await TimedAsync(DisabledUserRefused, ct => DisabledAsync(to, disabled, ct), cancellationToken));
        }

        if (plan.SignIn is { } monitor && (!j.Groups.IsEmpty || j.PrimarySubClaim is not null))
        {
            // One sign-in gives the ID token both claim journeys read; each is timed with it.
            var started = time.GetTimestamp();
            JourneySignIn? signedIn = null;
            string? failure = null;
            try
            {
                signedIn = await Pools.SignInAsync(to, monitor.Username, create: true, cancellationToken);
            }
            catch (Exception e) when (Expected(e, cancellationToken))
            {
                failure = Describe(e);
            }

            var seconds = time.GetElapsedTime(started).TotalSeconds;
            if (!j.Groups.IsEmpty)
            {
                results.Add(Claims(GroupClaims, seconds, signedIn, failure, claims => GroupsCheck(claims, j.Groups)));
            }

            if (j.PrimarySubClaim is { } claim)
            {
                results.Add(Claims(PrimarySubClaim, seconds, signedIn, failure, claims => SubCheck(claims, claim, to)));
            }
        }

        if (!j.CallbackUrls.IsEmpty)
        {
            results.Add(await TimedAsync(HostedUiConfig, ct => HostedUiAsync(to, ct), cancellationToken));
        }

        return results;
    }

    private IJourneyPools Pools => pools ?? throw new InvalidOperationException("The run has no journey port for the pools; FailoverPorts.Journeys is not set.");

    private ITokenEndpoint Tokens => tokens ?? throw new InvalidOperationException("The run has no token endpoint port; FailoverPorts.Tokens is not set.");

    private async Task<(bool, string)> MachineTokenAsync(PoolRole to, MachineClientPlan wanted, Uri? relay, CancellationToken cancellationToken)
    {
        var pool = plan.Pools.For(to);
        var client = await Pools.ClientAsync(to, null, wanted.Name, cancellationToken);
        if (client is null)
        {
            return (false, $"{wanted.Name}: no app client of that name in {pool.UserPoolId}; client replication has not created it (see 'idrep clients')");
        }

        if (client.Secret is null)
        {
            return (false, $"{wanted.Name}: app client {client.ClientId} of {pool.UserPoolId} has no secret; a client_credentials client must be confidential");
        }

        if (!client.OAuthFlows.Contains(ClientCredentials, StringComparer.Ordinal))
        {
            return (false, $"{wanted.Name}: app client {client.ClientId} of {pool.UserPoolId} does not allow the client_credentials flow (allows: {Join(client.OAuthFlows)})");
        }

        var callerId = client.ClientId;
        var endpoint = pool.TokenEndpoint;
        if (relay is not null)
        {
            // Callers of the relay hold the primary's client id; secrets are replicated by value, so the target's is theirs.
            callerId = wanted.PrimaryClientId ?? (await Pools.ClientAsync(PoolRole.Primary, null, wanted.Name, cancellationToken))?.ClientId
                ?? string.Empty;
            if (callerId.Length == 0)
            {
                return (false, $"{wanted.Name}: its primary client id is unknown (the primary pool has no client of that name, or cannot be read); give journeys.machineClients[].primaryClientId in the plan");
            }

            endpoint = relay;
        }

        if (endpoint is null)
        {
            return (false, $"{wanted.Name}: no token endpoint for {pool.UserPoolId}; set pools.{to.Name()}.tokenEndpoint in the plan");
        }

        var reply = await Tokens.RequestAsync(endpoint, callerId, client.Secret, wanted.Scopes, cancellationToken);
        var via = relay is null ? $"at {endpoint}" : $"through the relay {endpoint} as {callerId}";
        if (reply.Status != 200 || (string?)reply.Body?["access_token"] is not { Length: > 0 } token)
        {
            return (false, $"{wanted.Name}: the token request {via} was refused: HTTP {reply.Status}{(reply.Error is { } error ? $" {error}" : " without an access token")}{Hint(reply.Error)}");
        }

        var jwks = await Tokens.JwksAsync(pool.Jwks, cancellationToken);
        JsonObject claims;
        try
        {
            claims = Jwt.ValidateAccessToken(token, jwks, pool.Issuer, time.GetUtcNow());
        }
        catch (TokenRejectedException e)
        {
            return (false, $"{wanted.Name}: the access token {via} is not valid for {pool.UserPoolId}: {e.Message}");
        }

        if ((string?)claims["client_id"] != client.ClientId)
        {
            return (false, $"{wanted.Name}: the access token {via} names client '{(string?)claims["client_id"]}', not {pool.UserPoolId}'s {client.ClientId}");
        }

        var missing = wanted.Scopes.Where(s => !Jwt.Scopes(claims).Contains(s)).ToList();
        return missing.Count > 0
            ? (false, $"{wanted.Name}: the access token {via} lacks scope(s) {Join(missing)} (has: {Join([.. Jwt.Scopes(claims)])}); allow them on the client and its resource server")
            : (true, $"{wanted.Name}: token {via} from {pool.Issuer} for {client.ClientId}, signature valid, scope(s) {Scopes(wanted)}");
    }

    private async Task<(bool, string)> DisabledAsync(PoolRole to, string username, CancellationToken cancellationToken)
    {
        var pool = plan.Pools.For(to);
        JourneySignIn attempt;
        try
        {
            attempt = await Pools.SignInAsync(to, username, create: false, cancellationToken);
        }
        catch (UserNotFoundException)
        {
            return (false, $"'{username}' is not in {pool.UserPoolId}; create it in the source pool and disable it there — replication brings it here");
        }

        return attempt switch
        {
            { SignedIn: true } => (false, $"'{username}' signed in to {pool.UserPoolId}: the user is enabled there but must be disabled (as in the source) — check that replication carries the enabled flag"),
            { ErrorCode: "NotAuthorizedException" } => (true, $"'{username}' was refused by {pool.UserPoolId} (NotAuthorizedException)"),
            _ => (false, $"'{username}' was refused by {pool.UserPoolId} for another reason than being disabled: {attempt.ErrorCode ?? attempt.Detail}"),
        };
    }

    private async Task<(bool, string)> HostedUiAsync(PoolRole to, CancellationToken cancellationToken)
    {
        var pool = plan.Pools.For(to);
        var client = await Pools.ClientAsync(to, pool.AppClientId, null, cancellationToken);
        if (client is null)
        {
            return (false, $"app client {pool.AppClientId} is not in {pool.UserPoolId}; fix pools.{to.Name()}.appClientId in the plan");
        }

        var missing = plan.Journeys.CallbackUrls.Select(u => u.OriginalString).Where(u => !client.CallbackUrls.Contains(u, StringComparer.Ordinal)).ToList();
        return missing.Count > 0
            ? (false, $"app client {client.ClientId} of {pool.UserPoolId} lacks callback URL(s) {Join(missing)} (has: {Join(client.CallbackUrls)}); the hosted UI would refuse the application's redirect")
            : (true, $"app client {client.ClientId} of {pool.UserPoolId} lists the {plan.Journeys.CallbackUrls.Length} callback URL(s) the application needs");
    }

    private static (bool, string) GroupsCheck(JsonObject claims, IEnumerable<string> wanted)
    {
        var groups = (claims["cognito:groups"] as JsonArray)?.Select(g => (string?)g).OfType<string>().ToHashSet(StringComparer.Ordinal) ?? [];
        var missing = wanted.Where(g => !groups.Contains(g)).ToList();
        return missing.Count > 0
            ? (false, $"cognito:groups lacks {Join(missing)} (has: {Join([.. groups.Order(StringComparer.Ordinal)])}); check that replication carries the user's group memberships")
            : (true, $"cognito:groups lists {Join([.. wanted])}");
    }

    private static (bool, string) SubCheck(JsonObject claims, string claim, PoolRole to)
    {
        var value = (string?)claims[claim];
        var sub = (string?)claims["sub"];
        if (value is not null)
        {
            return Guid.TryParseExact(value, "D", out _) && value != sub
                ? (true, $"'{claim}' holds the original sub, not this pool's sub")
                : (false, $"'{claim}' is not an original sub (a UUID other than this pool's sub)");
        }

        return to == PoolRole.Primary
            ? (true, $"no '{claim}': the user's sub in the primary pool is its original")
            : (false, $"the ID token has no '{claim}'; the standby's Pre Token Generation trigger must be the Replicator (see docs/runbook-failover.md)");
    }

    private static JourneyResult Claims(string name, double seconds, JourneySignIn? signedIn, string? failure, Func<JsonObject, (bool, string)> check)
    {
        if (failure is not null || signedIn is not { SignedIn: true, IdToken: { } idToken })
        {
            return new JourneyResult(name, false, seconds, $"the monitoring user could not sign in: {failure ?? signedIn?.ErrorCode ?? signedIn?.Detail}");
        }

        try
        {
            var (passed, detail) = check(Jwt.Claims(idToken));
            return new JourneyResult(name, passed, seconds, detail);
        }
        catch (TokenRejectedException e)
        {
            return new JourneyResult(name, false, seconds, $"the ID token cannot be read: {e.Message}");
        }
    }

    private async Task<JourneyResult> TimedAsync(string name, Func<CancellationToken, Task<(bool Passed, string Detail)>> journey, CancellationToken cancellationToken)
    {
        var started = time.GetTimestamp();
        bool passed;
        string detail;
        try
        {
            (passed, detail) = await journey(cancellationToken);
        }
        catch (Exception e) when (Expected(e, cancellationToken))
        {
            (passed, detail) = (false, Describe(e));
        }

        return new JourneyResult(name, passed, Math.Round(time.GetElapsedTime(started).TotalSeconds, 3), detail);
    }

    private static bool Expected(Exception e, CancellationToken cancellationToken) =>
        e is CognitoException or HttpRequestException or TokenRejectedException or InvalidOperationException
        || (e is TaskCanceledException && !cancellationToken.IsCancellationRequested);

    private static string Describe(Exception e) => e switch
    {
        CognitoException c => c.ErrorCode,
        HttpRequestException h => $"HTTP request failed ({h.HttpRequestError}{(h.StatusCode is { } status ? $", {(int)status}" : string.Empty)})",
        TaskCanceledException => "timed out",
        _ => e.Message,
    };

    private static string Hint(string? error) => error switch
    {
        "invalid_client" => " — the client id or secret is wrong for this pool (was the secret replicated?)",
        "invalid_scope" => " — a scope is not allowed for the client, or its resource server is missing",
        "unauthorized_client" => " — the client may not use client_credentials",
        _ => string.Empty,
    };

    private static string Scopes(MachineClientPlan client) => client.Scopes.IsEmpty ? "(the client's defaults)" : string.Join(" ", client.Scopes);

    private static string Join(IReadOnlyCollection<string> values) => values.Count == 0 ? "none" : string.Join(", ", values);
}
