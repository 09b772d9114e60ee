using System.Text.Json.Nodes;

namespace IdentityReplicator.Sandbox;

/// <summary>The one JSON line <c>idrep sandbox up</c> prints for scripts: endpoints, Regions, pool ids and the files written.</summary>
internal static class SandboxDescription
{
    public static string Of(SandboxEnvironment sandbox)
    {
        var description = new JsonObject
        {
            ["primary"] = Pool(sandbox.Primary),
            ["standby"] = Pool(sandbox.Standby),
            ["mirror"] = new JsonObject { ["endpoint"] = sandbox.MirrorEndpoint.ToString(), ["tableName"] = sandbox.TableName, ["feedBuckets"] = sandbox.FeedBuckets },
            ["lambdaEndpoint"] = sandbox.LambdaEndpoint.ToString(),
            ["eventBridgeEndpoint"] = sandbox.EventBus.Url.ToString(),
            ["confirmationCode"] = sandbox.ConfirmationCode,
            ["configFile"] = sandbox.ConfigFile,
            ["route53Endpoint"] = sandbox.Failover.Route53.Url.ToString(),
            ["rdsEndpoint"] = sandbox.Failover.Rds.Url.ToString(),
            ["ssmEndpoint"] = sandbox.Failover.Ssm.Url.ToString(),
            ["secretsManagerEndpoint"] = sandbox.SecretsManagerEndpoint.ToString(),
            ["kmsEndpoint"] = sandbox.Failover.Kms.Url.ToString(),
            ["replicatedStores"] = new JsonObject
            {
                ["secret"] = Failover.FailoverSandbox.ApplicationSecret,
                ["kmsKey"] = Failover.FailoverSandbox.KmsAlias,
                ["kmsKeyId"] = sandbox.Failover.KmsKeyId,
                ["s3Buckets"] = new JsonArray(Failover.FailoverSandbox.PrimaryBucket, Failover.FailoverSandbox.StandbyBucket),
            },
            ["planFile"] = sandbox.PlanFile,
            ["relayEndpoint"] = sandbox.RelayEndpoint.ToString(),
        };
        if (sandbox.NativeConfigFile is not null)
        {
            description["nativeConfigFile"] = sandbox.NativeConfigFile;
            description["nativePlanFile"] = sandbox.NativePlanFile;
        }

        if (sandbox.S3Endpoint is not null)
        {
            description["s3"] = new JsonObject { ["endpoint"] = sandbox.S3Endpoint.ToString(), ["bucket"] = SandboxEnvironment.ReportBucket };
        }

        return description.ToJsonString();
    }

    private static JsonObject Pool(SandboxPool pool) => new()
    {
        ["region"] = pool.Region,
        ["userPoolId"] = pool.UserPoolId,
        ["endpoint"] = pool.Endpoint.ToString(),
        ["appClientId"] = pool.AppClientId,
        ["tokenEndpoint"] = pool.TokenEndpoint.ToString(),
        ["jwksUri"] = pool.JwksUri.ToString(),
        ["issuer"] = pool.Issuer,
    };
}
