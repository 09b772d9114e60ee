using Amazon;
using Amazon.Runtime;
using Amazon.Runtime.Signing;

namespace IdentityReplicator.Core.Aws;

/// <summary>
/// Builds an <see cref="HttpClient"/> that signs every request with SigV4 (AWSSDK.Core's
/// <see cref="SigV4SigningHandler"/>). Retries belong outside it: each attempt is a new request and is signed anew.
/// </summary>
internal static class SignedHttpClient
{
    public static HttpClient Create(AWSCredentials credentials, string region, string signingName, HttpMessageHandler? transport = null)
    {
        var inner = transport ?? new SocketsHttpHandler
        {
            AllowAutoRedirect = false,
            PooledConnectionLifetime = TimeSpan.FromMinutes(5),
            MaxConnectionsPerServer = 128,
        };
        var signer = new SigV4SigningHandler(credentials, RegionEndpoint.GetBySystemName(region), signingName, inner);
        return new HttpClient(signer, disposeHandler: true) { Timeout = TimeSpan.FromSeconds(60) };
    }
}
