using System.Net.Http.Headers;
using System.Text;
using IdentityReplicator.Sandbox;
using IdentityReplicator.Sandbox.Cognito;

namespace IdentityReplicator.TestSupport;

/// <summary>The sandbox's confidential machine-to-machine client in one pool: its id and (first) secret.</summary>
public sealed record SandboxMachineClient(string ClientId, string Secret)
{
    /// <summary>Reads the client <c>idrep-sandbox-m2m</c> of <paramref name="pool"/> (its secret as DescribeUserPoolClient returns it).</summary>
    public static async Task<SandboxMachineClient> ReadAsync(SandboxEnvironment sandbox, SandboxPool pool, CancellationToken cancellationToken = default)
    {
        var client = sandbox.Client(pool);
        await foreach (var described in client.ListUserPoolClientsAsync(pool.UserPoolId, cancellationToken))
        {
            if (described.ClientName == SandboxPoolConfiguration.MachineClientName)
            {
                var full = await client.DescribeUserPoolClientRawAsync(pool.UserPoolId, described.ClientId!, cancellationToken);
                return new SandboxMachineClient(described.ClientId!, (string)full["ClientSecret"]!);
            }
        }

        throw new InvalidOperationException($"Pool {pool.UserPoolId} has no {SandboxPoolConfiguration.MachineClientName}.");
    }

    /// <summary>A client_credentials request with this client's id and secret by HTTP Basic.</summary>
    public HttpRequestMessage TokenRequest(Uri tokenEndpoint, string? scope = null)
    {
        var form = new List<KeyValuePair<string, string>> { new("grant_type", "client_credentials") };
        if (scope is not null)
        {
            form.Add(new("scope", scope));
        }

        var request = new HttpRequestMessage(HttpMethod.Post, tokenEndpoint) { Content = new FormUrlEncodedContent(form) };
        request.Headers.Authorization = new AuthenticationHeaderValue("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes($"{ClientId}:{Secret}")));
        return request;
    }
}
