using System.Collections.Immutable;
using System.Text;
using System.Text.Json.Nodes;
using IdentityReplicator.Core.Cognito;
using IdentityReplicator.Core.Configuration;
using IdentityReplicator.Failover.Journeys;

namespace IdentityReplicator.Failover.Tests.Journeys;

/// <summary>Two pools' monitoring users and app clients in memory; sign-ins hand out unsigned ID tokens with the user's claims.</summary>
internal sealed class FakeJourneyPools : IJourneyPools
{
    public sealed record User(bool Enabled, string Sub, ImmutableArray<string> Groups, string? PrimarySub);

    public PerPool<Dictionary<string, User>> Users { get; } = new(new(StringComparer.Ordinal), new(StringComparer.Ordinal));

    public PerPool<List<JourneyClient>> Clients { get; } = new([], []);

    public Task<JourneySignIn> SignInAsync(PoolRole role, string username, bool create, CancellationToken cancellationToken)
    {
        var users = Users.For(role);
        if (!users.TryGetValue(username, out var user))
        {
            if (!create)
            {
                throw new UserNotFoundException(new Core.Aws.AwsErrorInfo("UserNotFoundException", "User does not exist.", System.Net.HttpStatusCode.BadRequest, null));
            }

            users[username] = user = new User(true, Guid.NewGuid().ToString(), [], null);
        }

        if (!user.Enabled)
        {
            return Task.FromResult(new JourneySignIn(false, null, "NotAuthorizedException", "refused"));
        }

        var claims = new JsonObject { ["sub"] = user.Sub, ["token_use"] = "id", ["cognito:groups"] = new JsonArray([.. user.Groups.Select(g => (JsonNode)g)]) };
        if (user.PrimarySub is not null)
        {
            claims["primary_sub"] = user.PrimarySub;
        }

        var token = $"{B64("{\"alg\":\"none\"}")}.{B64(claims.ToJsonString())}.";
        return Task.FromResult(new JourneySignIn(true, token, null, "signed in"));
    }

    public Task<JourneyClient?> ClientAsync(PoolRole role, string? clientId, string? name, CancellationToken cancellationToken) =>
        Task.FromResult(Clients.For(role).FirstOrDefault(c => clientId is null ? c.Name == name : c.ClientId == clientId));

    private static string B64(string text) => Convert.ToBase64String(Encoding.UTF8.GetBytes(text)).TrimEnd('=').Replace('+', '-').Replace('/', '_');
}
