using System.Text;

namespace IdentityReplicator.Replicator.Relay;

/// <summary>
/// The client id of a token request, from HTTP Basic or the form's <c>client_id</c>, and the same request with another
/// id put in its place. The secret is carried over byte for byte and never held apart from the request.
/// </summary>
internal sealed class RelayCredentials
{
    private const string FormContentType = "application/x-www-form-urlencoded";
    private readonly string? _basicSecret;

    private RelayCredentials(string clientId, string? basicSecret)
    {
        ClientId = clientId;
        _basicSecret = basicSecret;
    }

    public string ClientId { get; }

    /// <summary>The caller's client id (HTTP Basic first, as Cognito reads it); null when the request names none.</summary>
    public static RelayCredentials? Read(RelayRequest request)
    {
        if (request.Authorization is { } authorization && authorization.StartsWith("Basic ", StringComparison.OrdinalIgnoreCase))
        {
            try
            {
                var decoded = Encoding.UTF8.GetString(Convert.FromBase64String(authorization["Basic ".Length..].Trim()));
                var colon = decoded.IndexOf(':', StringComparison.Ordinal);
                return colon > 0 ? new RelayCredentials(decoded[..colon], decoded[(colon + 1)..]) : null;
            }
            catch (FormatException)
            {
                return null;
            }
        }

        return IsForm(request) && FormValue(Encoding.UTF8.GetString(request.Body.Span), "client_id") is { Length: > 0 } id
            ? new RelayCredentials(id, null)
            : null;
    }

    /// <summary>The Authorization header and body to forward, naming <paramref name="clientId"/> where the caller named its own.</summary>
    public (string? Authorization, byte[] Body) Rewrite(RelayRequest request, string clientId)
    {
        if (clientId == ClientId)
        {
            return (request.Authorization, request.Body.ToArray());
        }

        var authorization = _basicSecret is null
            ? request.Authorization
            : "Basic " + Convert.ToBase64String(Encoding.UTF8.GetBytes(clientId + ":" + _basicSecret));
        if (!IsForm(request))
        {
            return (authorization, request.Body.ToArray());
        }

        var pairs = Encoding.UTF8.GetString(request.Body.Span).Split('&');
        for (var i = 0; i < pairs.Length; i++)
        {
            if (Name(pairs[i]) == "client_id")
            {
                pairs[i] = "client_id=" + Uri.EscapeDataString(clientId);
            }
        }

        return (authorization, Encoding.UTF8.GetBytes(string.Join('&', pairs)));
    }

    private static bool IsForm(RelayRequest request) =>
        request.ContentType is { } type && type.StartsWith(FormContentType, StringComparison.OrdinalIgnoreCase);

    private static string? FormValue(string form, string name)
    {
        foreach (var pair in form.Split('&'))
        {
            if (Name(pair) == name)
            {
                var equals = pair.IndexOf('=', StringComparison.Ordinal);
                return equals < 0 ? string.Empty : Decode(pair[(equals + 1)..]);
            }
        }

        return null;
    }

    private static string Name(string pair)
    {
        var equals = pair.IndexOf('=', StringComparison.Ordinal);
        return Decode(equals < 0 ? pair : pair[..equals]);
    }

    private static string Decode(string text) => Uri.UnescapeDataString(text.Replace('+', ' '));
}
