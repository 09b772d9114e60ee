using System.Text.Json.Nodes;
using IdentityReplicator.Sandbox.Cognito.Configuration;
using IdentityReplicator.Sandbox.Failover;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;

namespace IdentityReplicator.Sandbox.SecretsManager;

/// <summary>
/// AWS Secrets Manager on 127.0.0.1 over the real JSON 1.1 protocol (<c>secretsmanager.&lt;Op&gt;</c>), serving the
/// app client secrets the sandbox's pools keep there (<c>PublishSecretsInAWSSecretsManager</c>): GetSecretValue and
/// DescribeSecret, by ARN or name, in the Region of the ARN (else the one the request was signed for). No KMS, no
/// rotation, no versions other than the current one.
/// </summary>
internal sealed class LocalSecretsManager : LocalAwsEndpoint
{
    private readonly Func<string, string, ManagedSecret?> _find;

    private LocalSecretsManager(Func<string, string, ManagedSecret?> find)
    {
        _find = find;
    }

    /// <summary>Starts the endpoint; <paramref name="find"/> looks a secret up by (Region, ARN or name).</summary>
    public static async Task<LocalSecretsManager> StartAsync(Func<string, string, ManagedSecret?> find, CancellationToken cancellationToken)
    {
        var secretsManager = new LocalSecretsManager(find);
        await secretsManager.ListenAsync(app => app.MapPost("/", secretsManager.HandleAsync), cancellationToken);
        return secretsManager;
    }

    private async Task HandleAsync(HttpContext context)
    {
        var (captured, request) = await ReceiveJsonAsync(context, "application/x-amz-json-1.1");

        var secretId = request?["SecretId"] is JsonValue id && id.TryGetValue<string>(out var text) ? text : null;
        if (secretId is null)
        {
            await ErrorAsync(context, "InvalidParameterException", "You must specify a SecretId.");
            return;
        }

        var region = secretId.StartsWith("arn:", StringComparison.Ordinal) && secretId.Split(':') is { Length: > 4 } parts ? parts[3] : captured.Region;
        var secret = _find(region, secretId);
        switch (captured.Target)
        {
            case "secretsmanager.GetSecretValue" when secret is not null:
                var stage = request!["VersionStage"]?.GetValue<string>();
                var version = request["VersionId"]?.GetValue<string>();
                if ((stage is not null && stage != "AWSCURRENT") || (version is not null && version != secret.VersionId))
                {
                    await ErrorAsync(context, "ResourceNotFoundException", "Secrets Manager can't find the specified secret value for VersionId or VersionStage.");
                    return;
                }

                await context.Response.WriteAsync(
                    new JsonObject
                    {
                        ["ARN"] = secret.Arn,
                        ["Name"] = secret.Name,
                        ["VersionId"] = secret.VersionId,
                        ["SecretString"] = secret.SecretString,
                        ["VersionStages"] = new JsonArray("AWSCURRENT"),
                        ["CreatedDate"] = Seconds(secret.CreatedDate),
                    }.ToJsonString(),
                    context.RequestAborted);
                return;

            case "secretsmanager.DescribeSecret" when secret is not null:
                await context.Response.WriteAsync(
                    new JsonObject
                    {
                        ["ARN"] = secret.Arn,
                        ["Name"] = secret.Name,
                        ["Description"] = "App client secret managed by Amazon Cognito.",
                        ["RotationEnabled"] = false,
                        ["LastChangedDate"] = Seconds(secret.LastChangedDate),
                        ["Tags"] = new JsonArray(),
                        ["VersionIdsToStages"] = new JsonObject { [secret.VersionId] = new JsonArray("AWSCURRENT") },
                        ["OwningService"] = "cognito-idp",
                        ["CreatedDate"] = Seconds(secret.CreatedDate),
                    }.ToJsonString(),
                    context.RequestAborted);
                return;

            case "secretsmanager.GetSecretValue" or "secretsmanager.DescribeSecret":
                await ErrorAsync(context, "ResourceNotFoundException", "Secrets Manager can't find the specified secret.");
                return;

            default:
                await ErrorAsync(context, "InvalidAction", $"The sandbox's Secrets Manager does not implement {captured.Target}.");
                return;
        }
    }

    private static double Seconds(DateTimeOffset at) => at.ToUnixTimeMilliseconds() / 1000.0;

    private static async Task ErrorAsync(HttpContext context, string type, string message)
    {
        context.Response.StatusCode = StatusCodes.Status400BadRequest;
        context.Response.Headers["x-amzn-ErrorType"] = type;
        await context.Response.WriteAsync(new JsonObject { ["__type"] = type, ["Message"] = message }.ToJsonString(), context.RequestAborted);
    }
}
