using System.Text;
using System.Text.Json.Nodes;
using IdentityReplicator.Sandbox.Cognito;

namespace IdentityReplicator.Sandbox.Proxy;

/// <summary>Sends a call straight to the emulator behind a front, for interceptors that answer in its place.</summary>
internal sealed class EmulatorForwarder(Uri emulator) : IDisposable
{
    private readonly HttpClient _http = new(new SocketsHttpHandler { MaxConnectionsPerServer = 64 }) { BaseAddress = emulator, Timeout = TimeSpan.FromSeconds(60) };

    public async Task<FrontReply> SendAsync(string operation, JsonNode? body, CancellationToken cancellationToken)
    {
        using var message = new HttpRequestMessage(HttpMethod.Post, "/") { Content = new StringContent(body?.ToJsonString() ?? "{}", Encoding.UTF8) };
        message.Content.Headers.ContentType = new("application/x-amz-json-1.1");
        message.Headers.TryAddWithoutValidation("X-Amz-Target", "AWSCognitoIdentityProviderService." + operation);
        using var response = await _http.SendAsync(message, cancellationToken);
        return new FrontReply((int)response.StatusCode, await response.Content.ReadAsByteArrayAsync(cancellationToken));
    }

    public void Dispose() => _http.Dispose();
}
