using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;

namespace IdentityReplicator.Sandbox.Tests.Cognito.Configuration;

/// <summary>A Cognito or Secrets Manager error reply: its type and message.</summary>
public sealed class AwsErrorReply(string type, int status, string message) : Exception($"{type} ({status}): {message}")
{
    public string Type { get; } = type;

    public int Status { get; } = status;
}

/// <summary>
/// Raw JSON 1.1 calls to the sandbox's Cognito fronts and Secrets Manager, as the wire carries them (the tool's own
/// Cognito client has no configuration operations; the replication side adds them).
/// </summary>
internal static class FrontCalls
{
    private static readonly HttpClient Http = new() { Timeout = TimeSpan.FromSeconds(30) };

    public static Task<JsonObject> CallAsync(this SandboxEnvironment sandbox, SandboxPool pool, string operation, JsonObject body)
    {
        ArgumentNullException.ThrowIfNull(sandbox);
        return PostAsync(pool.Endpoint, "AWSCognitoIdentityProviderService." + operation, pool.Region, "cognito-idp", body);
    }

    /// <summary>Calls an operation that must fail; returns the error.</summary>
    public static async Task<AwsErrorReply> FailAsync(this SandboxEnvironment sandbox, SandboxPool pool, string operation, JsonObject body) =>
        await Assert.ThrowsAsync<AwsErrorReply>(() => sandbox.CallAsync(pool, operation, body));

    /// <summary>Secrets Manager's endpoint as the config file names it (one endpoint stands for both Regions).</summary>
    public static Uri SecretsManager(this SandboxEnvironment sandbox) =>
        new(sandbox.Configuration()["Sandbox:SecretsManagerEndpoint"] ?? throw new InvalidOperationException("The config file names no Secrets Manager endpoint."));

    public static Task<JsonObject> SecretsManagerAsync(this SandboxEnvironment sandbox, string region, string operation, JsonObject body) =>
        PostAsync(sandbox.SecretsManager(), "secretsmanager." + operation, region, "secretsmanager", body);

    /// <summary>Creates an app client with a unique name; returns its id.</summary>
    public static async Task<string> NewClientAsync(this SandboxEnvironment sandbox, SandboxPool pool, JsonObject? settings = null)
    {
        var body = settings ?? [];
        body["UserPoolId"] = pool.UserPoolId;
        body["ClientName"] ??= "client-" + Guid.NewGuid().ToString("N")[..12];
        var created = await sandbox.CallAsync(pool, "CreateUserPoolClient", body);
        return created["UserPoolClient"]!["ClientId"]!.GetValue<string>();
    }

    public static async Task<JsonObject> DescribeClientAsync(this SandboxEnvironment sandbox, SandboxPool pool, string clientId) =>
        (await sandbox.CallAsync(pool, "DescribeUserPoolClient", new JsonObject { ["UserPoolId"] = pool.UserPoolId, ["ClientId"] = clientId }))["UserPoolClient"]!.AsObject();

    public static async Task<JsonObject> DescribePoolAsync(this SandboxEnvironment sandbox, SandboxPool pool) =>
        (await sandbox.CallAsync(pool, "DescribeUserPool", new JsonObject { ["UserPoolId"] = pool.UserPoolId }))["UserPool"]!.AsObject();

    private static async Task<JsonObject> PostAsync(Uri endpoint, string target, string region, string service, JsonObject body)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, endpoint) { Content = new StringContent(body.ToJsonString(), Encoding.UTF8) };
        request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/x-amz-json-1.1");
        request.Headers.TryAddWithoutValidation("X-Amz-Target", target);
        request.Headers.TryAddWithoutValidation("Authorization", $"AWS4-HMAC-SHA256 Credential=sandbox/20260101/{region}/{service}/aws4_request, SignedHeaders=host, Signature=0");
        using var response = await Http.SendAsync(request);
        var text = await response.Content.ReadAsStringAsync();
        var reply = text.Length == 0 ? [] : JsonNode.Parse(text) as JsonObject ?? [];
        if (!response.IsSuccessStatusCode)
        {
            var type = reply["__type"]?.GetValue<string>() ?? "Unknown";
            throw new AwsErrorReply(type[(type.IndexOf('#', StringComparison.Ordinal) + 1)..], (int)response.StatusCode, (reply["message"] ?? reply["Message"])?.GetValue<string>() ?? text);
        }

        return reply;
    }
}

/// <summary>Pools of their own for tests that change pool-wide settings (the shared pools stay as other tests expect them).</summary>
internal static class OwnPools
{
    /// <summary>A new pool in the emulator behind <paramref name="front"/>'s front (same Region and endpoint).</summary>
    public static async Task<SandboxPool> NewPoolAsync(this SandboxEnvironment sandbox, SandboxPool front)
    {
        var created = await sandbox.CallAsync(front, "CreateUserPool", new JsonObject { ["PoolName"] = "own-" + Guid.NewGuid().ToString("N")[..10] });
        return front with { UserPoolId = created["UserPool"]!["Id"]!.GetValue<string>() };
    }
}
