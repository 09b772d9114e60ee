using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace IdentityReplicator.Sandbox.Emulators;

/// <summary>
/// cognito-local: the Cognito user pools API on 127.0.0.1, state in <c>&lt;data&gt;/.cognito</c>. One process stands for
/// one Region. Its triggers call the Lambda Invoke API of the sandbox.
/// </summary>
public static class CognitoLocal
{
    /// <summary>The function name the emulator's triggers invoke; the sandbox's Invoke endpoint serves it.</summary>
    public const string TriggerFunction = "idrep-replicator";

    /// <summary>The triggers wired to the Replicator (those cognito-local 5.3.0 supports and that carry user state).</summary>
    public static readonly string[] Triggers = ["PreSignUp", "PostConfirmation", "PostAuthentication", "PreTokenGeneration"];

    public static async Task<NodeProcess> StartAsync(
        string installFolder,
        string dataFolder,
        Uri? lambdaEndpoint,
        string region,
        string confirmationCode,
        TimeProvider time,
        CancellationToken cancellationToken,
        Func<int>? nextPort = null)
    {
        var configFolder = Path.Combine(dataFolder, ".cognito");
        Directory.CreateDirectory(configFolder);
        var config = new JsonObject
        {
            // Pools sign in by username unless CreateUserPool asks for email/phone (cognito-local's default is email).
            ["UserPoolDefaults"] = new JsonObject { ["UsernameAttributes"] = new JsonArray() },
        };
        if (lambdaEndpoint is not null)
        {
            config["LambdaClient"] = new JsonObject
            {
                ["endpoint"] = lambdaEndpoint.ToString().TrimEnd('/'),
                ["region"] = region,
                ["credentials"] = new JsonObject { ["accessKeyId"] = "sandbox", ["secretAccessKey"] = "sandbox" },
                ["maxRetries"] = 0,
            };
            var triggers = new JsonObject();
            foreach (var trigger in Triggers)
            {
                triggers[trigger] = TriggerFunction;
            }

            config["TriggerFunctions"] = triggers;
        }

        await File.WriteAllTextAsync(
            Path.Combine(configFolder, "config.json"),
            config.ToJsonString(new JsonSerializerOptions { WriteIndented = true }),
            cancellationToken);

        return await NodeProcess.StartAsync(
            installFolder,
            new EmulatorLaunch(
                $"cognito-local ({region})",
                "node_modules/cognito-local/lib/bin/start.js",
                _ => [],
                port => new Dictionary<string, string>
                {
                    ["HOST"] = "127.0.0.1",
                    ["PORT"] = port.ToString(CultureInfo.InvariantCulture),
                    ["CODE"] = confirmationCode,
                    ["NODE_OPTIONS"] = $"--require {Path.Combine(installFolder, "coalesce-writes.js")}",
                },
                dataFolder,
                EmulatorProbe.CognitoAsync),
            time,
            cancellationToken,
            nextPort);
    }
}
