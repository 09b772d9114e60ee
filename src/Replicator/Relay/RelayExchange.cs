namespace IdentityReplicator.Replicator.Relay;

/// <summary>
/// The relay's request handler, once for every host of <see cref="TokenRelay"/> (<c>idrep relay</c> on Kestrel, the
/// sandbox's <c>relayEndpoint</c>): the caller's bytes in, the token endpoint's status, headers and bytes out. It is
/// written on the plain streams every HTTP server gives, so the Replicator (also the Native AOT Lambda) needs no web
/// framework; a host only hands over its request's and response's parts.
/// </summary>
public static class RelayExchange
{
    /// <summary>Reads the caller's body from <paramref name="requestBody"/> and relays the request.</summary>
    public static async Task<RelayReply> ServeAsync(this TokenRelay relay, string? contentType, string? authorization, Stream requestBody, CancellationToken cancellationToken)
    {
        using var body = new MemoryStream();
        await requestBody.CopyToAsync(body, cancellationToken);
        return await relay.ForwardAsync(new RelayRequest(contentType, authorization, body.ToArray()), cancellationToken);
    }

    /// <summary>Writes <paramref name="reply"/> to the caller: the status, then each header, then the body's bytes.</summary>
    public static async Task WriteToAsync(this RelayReply reply, Action<int> setStatus, Action<string, string> addHeader, Stream responseBody, CancellationToken cancellationToken)
    {
        setStatus(reply.Status);
        foreach (var (name, value) in reply.Headers)
        {
            addHeader(name, value);
        }

        await responseBody.WriteAsync(reply.Body, cancellationToken);
    }
}
