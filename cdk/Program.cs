using System.Diagnostics;
using System.Text.Json;
using Amazon.CDK;
using IdentityReplicator.Cdk;
using IdentityReplicator.Cdk.Config;

// `dotnet run --project cdk` synthesizes both Regions' templates offline into cdk/cdk.out (or $CDK_OUTDIR);
// `cdk deploy` (run in cdk/) calls the same program through cdk.json.
var root = FindSourceRoot(Directory.GetCurrentDirectory()) ?? FindSourceRoot(AppContext.BaseDirectory);
if (root is null)
{
    Console.Error.WriteLine("Run this from a clone of the repository (no IdentityReplicator.sln above the working directory).");
    return 2;
}

var fromCli = System.Environment.GetEnvironmentVariable("CDK_CONTEXT_JSON") is not null;
var context = fromCli ? new Dictionary<string, object>() : ReadContext(Path.Combine(root, "cdk", "cdk.json"));
var outdir = System.Environment.GetEnvironmentVariable("CDK_OUTDIR") is { Length: > 0 } given ? given : Path.Combine(root, "cdk", "cdk.out");
var app = new App(new AppProps { Outdir = outdir, Context = context });

string? Context(string key) => app.Node.TryGetContext(key) switch
{
    null => null,
    string text => text,
    JsonElement element => element.ToString(),
    var other => Convert.ToString(other, System.Globalization.CultureInfo.InvariantCulture),
};

if (Context("replicatorAsset") is null && !File.Exists(Path.Combine(root, "artifacts", "replicator", "bootstrap")))
{
    Console.Error.WriteLine($"Building the Replicator's Native AOT bootstrap (once): {DeploymentConfig.ReplicatorPublishCommand}");
    if (!Publish(root))
    {
        Console.Error.WriteLine("The Replicator did not build; see the output above (Native AOT needs clang and zlib development files).");
        return 1;
    }
}

DeploymentConfig config;
try
{
    config = DeploymentConfig.FromContext(Context, root, System.Environment.GetEnvironmentVariable("CDK_DEFAULT_ACCOUNT"));
}
catch (InvalidOperationException e)
{
    Console.Error.WriteLine(e.Message);
    return 2;
}

var stacks = IdentityReplicatorApp.Build(app, config);
var assembly = app.Synth();
if (!fromCli)
{
    // The cdk CLI prints these itself; run directly, the app says them (they were silent before).
    foreach (var warning in config.Warnings)
    {
        Console.Error.WriteLine($"Warning: {warning}");
    }

    foreach (var artifact in assembly.Stacks)
    {
        foreach (var message in artifact.Messages.Where(m => m.Level is Amazon.CDK.CXAPI.SynthesisMessageLevel.WARNING or Amazon.CDK.CXAPI.SynthesisMessageLevel.ERROR))
        {
            Console.Error.WriteLine($"{(message.Level == Amazon.CDK.CXAPI.SynthesisMessageLevel.ERROR ? "Error" : "Warning")} ({artifact.StackName}{message.Id}): {message.Entry.Data}");
        }
    }

    foreach (var stack in stacks)
    {
        Console.Error.WriteLine($"{stack.StackName} ({stack.Region}): {Path.Combine(assembly.Directory, stack.TemplateFile)}");
    }

    if (config.Account == DeploymentConfig.PlaceholderAccount)
    {
        Console.Error.WriteLine("No account given (context 'account', or credentials through 'cdk'): synthesized for the placeholder account; see docs/deploy.md.");
    }
}

return 0;

static string? FindSourceRoot(string start)
{
    for (var dir = new DirectoryInfo(start); dir is not null; dir = dir.Parent)
    {
        if (File.Exists(Path.Combine(dir.FullName, "IdentityReplicator.sln")))
        {
            return dir.FullName;
        }
    }

    return null;
}

static Dictionary<string, object> ReadContext(string cdkJson)
{
    var values = new Dictionary<string, object>(StringComparer.Ordinal);
    if (File.Exists(cdkJson) && JsonDocument.Parse(File.ReadAllText(cdkJson)).RootElement.TryGetProperty("context", out var context))
    {
        foreach (var property in context.EnumerateObject())
        {
            values[property.Name] = property.Value.ValueKind == JsonValueKind.String ? property.Value.GetString()! : property.Value.ToString();
        }
    }

    return values;
}

static bool Publish(string root)
{
    var start = new ProcessStartInfo("dotnet") { WorkingDirectory = root };
    foreach (var argument in DeploymentConfig.ReplicatorPublishCommand.Split(' ').Skip(1))
    {
        start.ArgumentList.Add(argument);
    }

    using var process = Process.Start(start)!;
    process.WaitForExit();
    return process.ExitCode == 0;
}
