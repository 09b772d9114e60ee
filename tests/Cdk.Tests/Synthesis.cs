using System.Text.Json.Nodes;
using Amazon.CDK;
using Amazon.CDK.Assertions;
using IdentityReplicator.Cdk.Config;

namespace IdentityReplicator.Cdk.Tests;

/// <summary>One synthesis of the app with a given context, into a temporary folder (removed on dispose).</summary>
public sealed class Synthesis : IDisposable
{
    public const string Account = "123456789012";

    private readonly string _folder = Directory.CreateTempSubdirectory("idrep-cdk-").FullName;

    public Synthesis(Dictionary<string, string>? context = null)
    {
        var asset = Directory.CreateDirectory(Path.Combine(_folder, "replicator")).FullName;
        File.WriteAllText(Path.Combine(asset, "bootstrap"), "stands in for the Native AOT executable");
        var values = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["account"] = Account,
            ["primaryRegion"] = "us-east-1",
            ["standbyRegion"] = "us-west-2",
            ["createPools"] = "true",
            ["replicatorAsset"] = asset,
            ["dotnetImages"] = "registry.invalid/dotnet",
            ["alarmEmail"] = "oncall@example.com",
        };
        foreach (var (key, value) in context ?? [])
        {
            values[key] = value;
        }

        Config = DeploymentConfig.FromContext(k => values.GetValueOrDefault(k), SourceRoot);
        var app = new App(new AppProps { Outdir = Path.Combine(_folder, "cdk.out") });
        Stacks = IdentityReplicatorApp.Build(app, Config).ToDictionary(s => s.StackName, StringComparer.Ordinal);
        var assembly = app.Synth();
        MissingContext = [.. (assembly.Manifest.Missing ?? []).Select(m => m.Key)];
        Templates = Stacks.ToDictionary(
            s => s.Key,
            s => JsonNode.Parse(File.ReadAllText(Path.Combine(assembly.Directory, s.Value.TemplateFile)))!.AsObject(),
            StringComparer.Ordinal);
    }

    public static string SourceRoot { get; } = FindSourceRoot();

    internal DeploymentConfig Config { get; }

    /// <summary>Context the synthesis had to make up (a lookup the CDK CLI would need credentials for).</summary>
    public IReadOnlyList<string> MissingContext { get; }

    public IReadOnlyDictionary<string, Stack> Stacks { get; }

    /// <summary>Each stack's template as synthesized (CloudFormation JSON).</summary>
    public IReadOnlyDictionary<string, JsonObject> Templates { get; }

    public Template Template(string stackName) => Amazon.CDK.Assertions.Template.FromStack(Stacks[stackName]);

    /// <summary>Every resource of a type in a stack's template.</summary>
    public IEnumerable<JsonObject> Resources(string stackName, string type) =>
        Templates[stackName]["Resources"]!.AsObject()
            .Select(r => r.Value!.AsObject())
            .Where(r => (string?)r["Type"] == type);

    public void Dispose()
    {
        try
        {
            Directory.Delete(_folder, recursive: true);
        }
        catch (IOException)
        {
            // The jsii runtime may still hold a file; the folder is in the temp directory.
        }
    }

    private static string FindSourceRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "IdentityReplicator.sln")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException("The tests run from inside the repository.");
    }
}

/// <summary>The default deployment (pools defined here, no failover targets), synthesized once for its tests.</summary>
public sealed class DefaultSynthesis() : IDisposable
{
    public Synthesis Value { get; } = new();

    public void Dispose() => Value.Dispose();
}
