using System.Text.Json;
using System.Text.Json.Nodes;

namespace IdentityReplicator.Sandbox.Cognito.Configuration;

/// <summary>The configuration file of a pool front cannot be read back.</summary>
internal sealed class ConfigurationStoreException(string message, Exception inner) : Exception(message, inner);

/// <summary>
/// What a pool front keeps about its pools beyond what cognito-local stores (app client settings and secrets, resource
/// servers, identity providers, domains, branding, terms, MFA and pool settings, tags), as the JSON shapes of the
/// Cognito API, in one file in the pool's data folder: it survives a restart of the sandbox on the same folder. Like
/// the emulator's own database, the file holds client secrets; nothing else the sandbox writes does.
/// </summary>
/// <remarks>
/// One lock guards the state: a change runs under it and the file is rewritten (to a temporary file, then moved into
/// place) before the lock is released, so a reply never reports a change that a restart would lose.
/// </remarks>
internal sealed class ConfigurationStore
{
    public const string FileName = "cognito-configuration.json";
    private static readonly JsonSerializerOptions Indented = new() { WriteIndented = true };
    private readonly Lock _gate = new();
    private readonly string? _path;
    private readonly JsonObject _root;

    private ConfigurationStore(string? path, JsonObject root)
    {
        _path = path;
        _root = root;
    }

    /// <summary>Opens the store in <paramref name="folder"/> (creating it), or an in-memory one when null.</summary>
    public static ConfigurationStore Open(string? folder)
    {
        if (folder is null)
        {
            return new ConfigurationStore(null, NewRoot());
        }

        Directory.CreateDirectory(folder);
        var path = Path.Combine(folder, FileName);
        if (!File.Exists(path))
        {
            return new ConfigurationStore(path, NewRoot());
        }

        try
        {
            return new ConfigurationStore(path, JsonNode.Parse(File.ReadAllText(path)) as JsonObject ?? NewRoot());
        }
        catch (JsonException e)
        {
            throw new ConfigurationStoreException($"The sandbox's Cognito configuration file {path} is not valid JSON; delete it (the pools' configuration is lost) or restore it.", e);
        }
    }

    /// <summary>Reads under the lock; <paramref name="read"/> must copy what it returns (the state changes later).</summary>
    public T Read<T>(Func<JsonObject, T> read)
    {
        lock (_gate)
        {
            return read(_root);
        }
    }

    /// <summary>Changes the state under the lock and saves it before returning.</summary>
    public T Change<T>(Func<JsonObject, T> change)
    {
        lock (_gate)
        {
            var result = change(_root);
            Save();
            return result;
        }
    }

    /// <summary>The section of one pool (created empty on first use).</summary>
    public static JsonObject Pool(JsonObject root, string userPoolId) => Section(Section(root, "pools"), userPoolId);

    /// <summary>A named object inside <paramref name="parent"/> (created empty on first use).</summary>
    public static JsonObject Section(JsonObject parent, string name)
    {
        if (parent[name] is JsonObject existing)
        {
            return existing;
        }

        var created = new JsonObject();
        parent[name] = created;
        return created;
    }

    private static JsonObject NewRoot() => new() { ["version"] = 1, ["pools"] = new JsonObject(), ["domains"] = new JsonObject() };

    private void Save()
    {
        if (_path is null)
        {
            return;
        }

        var temporary = _path + ".tmp";
        File.WriteAllText(temporary, _root.ToJsonString(Indented));
        File.Move(temporary, _path, overwrite: true);
    }
}
