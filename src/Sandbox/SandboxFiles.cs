using System.Text.Json;
using System.Text.Json.Nodes;

namespace IdentityReplicator.Sandbox;

/// <summary>
/// The files the sandbox writes into its data folder for the tool: a config file for <c>idrep --config</c> and a
/// failover plan for <c>idrep failover … --plan</c>, both pointing at this sandbox.
/// </summary>
internal static class SandboxFiles
{
    private static readonly JsonSerializerOptions Indented = new() { WriteIndented = true };

    public static async Task WriteConfigAsync(SandboxEnvironment sandbox, CancellationToken cancellationToken)
    {
        await File.WriteAllTextAsync(sandbox.ConfigFile, Config(sandbox).ToJsonString(Indented), cancellationToken);
        if (sandbox.NativeReplica is { } replica && sandbox.NativeConfigFile is { } nativeConfigFile)
        {
            // Native mode: the primary's native replica (same pool id, the standby Region's endpoint) is the standby; the
            // canary is written every 5 s and read every 100 ms, so the sandbox's lag shows within seconds.
            var native = Config(sandbox);
            var replication = native["Replication"]!.AsObject();
            replication["Mode"] = "native";
            replication["Standby"] = Pool(replica);
            replication["Native"] = new JsonObject { ["CanaryInterval"] = "00:00:05", ["CanaryPollInterval"] = "00:00:00.1", ["StaleAfter"] = "00:01:00" };
            await File.WriteAllTextAsync(nativeConfigFile, native.ToJsonString(Indented), cancellationToken);
        }
    }

    /// <summary>Writes the plan for the sandbox's failover endpoints (started after the config file is written).</summary>
    public static async Task WritePlanAsync(SandboxEnvironment sandbox, CancellationToken cancellationToken)
    {
        // The description names the OAuth2 endpoints when the sandbox serves them; the plan then names them too.
        var description = JsonNode.Parse(SandboxDescription.Of(sandbox))!.AsObject();
        await File.WriteAllTextAsync(
            sandbox.PlanFile,
            sandbox.Failover.Plan(sandbox.Primary, sandbox.Standby, sandbox.MirrorEndpoint, sandbox.TableName, sandbox.FeedBuckets, SandboxEnvironment.AccessKey, description)
                + sandbox.Failover.JourneysPlan(description),
            cancellationToken);
        if (sandbox.NativeReplica is { } replica && sandbox.NativePlanFile is { } nativePlanFile)
        {
            await File.WriteAllTextAsync(nativePlanFile, Failover.NativePlanFile.Of(sandbox, replica, description), cancellationToken);
        }
    }

    /// <summary>The settings of the config file.</summary>
    private static JsonObject Config(SandboxEnvironment sandbox)
    {
        var config = new JsonObject
        {
            ["Aws"] = new JsonObject { ["AccessKeyId"] = SandboxEnvironment.AccessKey, ["SecretAccessKey"] = SandboxEnvironment.AccessKey },
            ["Replication"] = new JsonObject
            {
                ["Primary"] = Pool(sandbox.Primary),
                ["Standby"] = Pool(sandbox.Standby),
            },
            ["Mirror"] = new JsonObject
            {
                ["TableName"] = sandbox.TableName,
                ["FeedBuckets"] = sandbox.FeedBuckets,
                ["Endpoints"] = PerRegion(sandbox, sandbox.MirrorEndpoint),
            },
            ["EventBridge"] = new JsonObject
            {
                ["Endpoints"] = PerRegion(sandbox, sandbox.EventBus.Url),
            },
            ["SecretsManager"] = new JsonObject
            {
                ["Endpoints"] = PerRegion(sandbox, sandbox.SecretsManagerEndpoint),
            },
            ["Relay"] = new JsonObject
            {
                ["TokenEndpoints"] = new JsonObject
                {
                    [sandbox.Primary.Region] = sandbox.Primary.TokenEndpoint.ToString(),
                    [sandbox.Standby.Region] = sandbox.Standby.TokenEndpoint.ToString(),
                },
            },
            ["Sandbox"] = new JsonObject
            {
                ["PrimaryAppClientId"] = sandbox.Primary.AppClientId,
                ["StandbyAppClientId"] = sandbox.Standby.AppClientId,
                ["ConfirmationCode"] = sandbox.ConfirmationCode,

                // For scripts; idrep reads SecretsManager:Endpoints.
                ["SecretsManagerEndpoint"] = sandbox.SecretsManagerEndpoint.ToString(),
            },
        };
        // The sandbox's pools are configured alike (SandboxPoolConfiguration), so drift compares their configuration too.
        var drift = new JsonObject { ["CompareConfiguration"] = true };
        if (sandbox.S3Endpoint is not null)
        {
            drift["OutputBucket"] = SandboxEnvironment.ReportBucket;
            drift["S3ServiceUrl"] = sandbox.S3Endpoint.ToString();
        }

        config["Drift"] = drift;

        return config;
    }

    private static JsonObject Pool(SandboxPool pool) =>
        new() { ["Region"] = pool.Region, ["UserPoolId"] = pool.UserPoolId, ["ServiceUrl"] = pool.Endpoint.ToString() };

    /// <summary>One endpoint standing for both Regions' (one dynalite for the global table, one bus for both default buses, one Secrets Manager).</summary>
    private static JsonObject PerRegion(SandboxEnvironment sandbox, Uri endpoint) =>
        new() { [sandbox.Primary.Region] = endpoint.ToString(), [sandbox.Standby.Region] = endpoint.ToString() };
}
