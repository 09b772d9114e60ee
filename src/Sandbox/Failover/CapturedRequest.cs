using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Http;

namespace IdentityReplicator.Sandbox.Failover;

/// <summary>A request as a local endpoint received it (conformance tests compare ours with the JS SDK's).</summary>
public sealed record CapturedRequest(string Method, string PathAndQuery, string? ContentType, string? Target, string Body, string Region);

/// <summary>What the local AWS endpoints share: the Region a request was signed for, and request capture.</summary>
public static partial class LocalAws
{
    public const string Account = "000000000000";

    /// <summary>The Region of the SigV4 credential scope (<c>Credential=AKID/date/region/service/aws4_request</c>).</summary>
    public static string RegionOf(HttpRequest request, string fallback)
    {
        var match = CredentialScope().Match(request.Headers.Authorization.ToString());
        return match.Success ? match.Groups[1].Value : fallback;
    }

    public static async Task<(CapturedRequest Request, string Body)> CaptureAsync(HttpRequest request, string fallbackRegion)
    {
        using var reader = new StreamReader(request.Body);
        var body = await reader.ReadToEndAsync(request.HttpContext.RequestAborted);
        var captured = new CapturedRequest(
            request.Method,
            request.Path + request.QueryString,
            request.ContentType,
            request.Headers["X-Amz-Target"].FirstOrDefault(),
            body,
            RegionOf(request, fallbackRegion));
        return (captured, body);
    }

    [GeneratedRegex("Credential=[^/]+/[0-9]{8}/([a-z0-9-]+)/")]
    private static partial Regex CredentialScope();
}
