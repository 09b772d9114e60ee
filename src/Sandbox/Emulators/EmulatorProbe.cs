using System.Net.Http.Headers;
using System.Text;

namespace IdentityReplicator.Sandbox.Emulators;

/// <summary>What a readiness probe heard on an emulator's port.</summary>
public enum ProbeAnswer
{
    /// <summary>Nothing yet (connection refused, reset or timed out): the emulator may still be starting.</summary>
    NotYet,

    /// <summary>The emulator's own answer to a call only it answers that way.</summary>
    Ready,

    /// <summary>Another service answered: the port was taken after it was chosen, so this emulator cannot bind it.</summary>
    Foreign,
}

/// <summary>
/// Readiness probes that check an emulator's own answer, not just that something listens on its port: a port chosen
/// free can be taken by another emulator (another test assembly's) before this one binds it, and that one answers too.
/// </summary>
internal static class EmulatorProbe
{
    private const string SandboxDate = "20261207T000000Z";

    /// <summary>dynalite: a DynamoDB ListTables (it wants an Authorization header, not a valid signature).</summary>
    public static Task<ProbeAnswer> DynamoDbAsync(HttpClient http, Uri url, CancellationToken cancellationToken) =>
        JsonCallAsync(http, url, "application/x-amz-json-1.0", "DynamoDB_20120810.ListTables", "{}", "\"TableNames\"", "dynamodb", cancellationToken);

    /// <summary>cognito-local: a Cognito ListUserPools.</summary>
    public static Task<ProbeAnswer> CognitoAsync(HttpClient http, Uri url, CancellationToken cancellationToken) =>
        JsonCallAsync(http, url, "application/x-amz-json-1.1", "AWSCognitoIdentityProviderService.ListUserPools", """{"MaxResults":1}""", "\"UserPools\"", "cognito-idp", cancellationToken);

    /// <summary>s3rver: an S3 ListBuckets (<c>GET /</c>).</summary>
    public static async Task<ProbeAnswer> S3Async(HttpClient http, Uri url, CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, url);
        return await SendAsync(http, request, "<ListAllMyBucketsResult", cancellationToken);
    }

    private static async Task<ProbeAnswer> JsonCallAsync(
        HttpClient http,
        Uri url,
        string contentType,
        string target,
        string body,
        string expected,
        string service,
        CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, url) { Content = new ByteArrayContent(Encoding.UTF8.GetBytes(body)) };
        request.Content.Headers.ContentType = MediaTypeHeaderValue.Parse(contentType);
        request.Headers.TryAddWithoutValidation("X-Amz-Target", target);
        request.Headers.TryAddWithoutValidation("X-Amz-Date", SandboxDate);
        request.Headers.TryAddWithoutValidation(
            "Authorization",
            $"AWS4-HMAC-SHA256 Credential={SandboxEnvironment.AccessKey}/{SandboxDate[..8]}/us-east-1/{service}/aws4_request, SignedHeaders=host;x-amz-date, Signature=0");
        return await SendAsync(http, request, expected, cancellationToken);
    }

    private static async Task<ProbeAnswer> SendAsync(HttpClient http, HttpRequestMessage request, string expected, CancellationToken cancellationToken)
    {
        try
        {
            using var response = await http.SendAsync(request, cancellationToken);
            var text = await response.Content.ReadAsStringAsync(cancellationToken);
            return response.IsSuccessStatusCode && text.Contains(expected, StringComparison.Ordinal) ? ProbeAnswer.Ready : ProbeAnswer.Foreign;
        }
        catch (HttpRequestException)
        {
            return ProbeAnswer.NotYet;
        }
        catch (TaskCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            // The probe's own timeout: an emulator still starting can accept a connection before it answers.
            return ProbeAnswer.NotYet;
        }
    }
}

/// <summary>
/// How to start one emulator: its script under the install folder, and its arguments and environment for a given port
/// (each attempt gets its own port), and the probe that recognizes its answer.
/// </summary>
public sealed record EmulatorLaunch(
    string Name,
    string Script,
    Func<int, IReadOnlyList<string>> Arguments,
    Func<int, IReadOnlyDictionary<string, string>> Environment,
    string WorkingDirectory,
    Func<HttpClient, Uri, CancellationToken, Task<ProbeAnswer>> Probe);
