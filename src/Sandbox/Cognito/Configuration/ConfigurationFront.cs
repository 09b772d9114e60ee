using System.Text;
using System.Text.Json.Nodes;
using IdentityReplicator.Sandbox.Proxy;

namespace IdentityReplicator.Sandbox.Cognito.Configuration;

/// <summary>
/// Serves a pool's configuration in the emulator's place: app clients with every setting and their secrets, resource
/// servers, identity providers, domains, UI customization, managed login branding, terms, log delivery, risk configuration, MFA configuration, tags, and
/// every pool setting of UpdateUserPool/DescribeUserPool — what cognito-local 5.3.0 lacks or gets wrong — shaped as
/// the Cognito API model says, with Cognito's errors, kept in a file in the pool's data folder (docs/sandbox.md).
/// </summary>
internal sealed class ConfigurationFront : ICognitoInterceptor
{
    private readonly ConfigurationContext _context;
    private readonly ClientSecrets _secrets;
    private readonly PoolSettings _settings;
    private readonly Dictionary<string, Func<FrontCall, CancellationToken, Task<JsonObject>>> _operations = new(StringComparer.Ordinal);

    internal ConfigurationFront(string region, EmulatorForwarder emulator, string? dataFolder, TimeProvider time)
    {
        _context = new ConfigurationContext(ConfigurationStore.Open(dataFolder), emulator, region, time);
        _secrets = new ClientSecrets(_context);
        var clients = new AppClients(_context, _secrets);
        var domains = new Domains(_context);
        var settings = new PoolSettings(_context, domains);
        _settings = settings;
        foreach (var (operation, handler) in clients.Operations()
            .Concat(_secrets.Operations(clients))
            .Concat(new ResourceServers(_context).Operations())
            .Concat(new IdentityProviders(_context).Operations())
            .Concat(domains.Operations())
            .Concat(new Branding(_context, clients, domains).Operations())
            .Concat(new Terms(_context, clients).Operations())
            .Concat(new LogDeliveryAndRisk(_context, clients).Operations())
            .Concat(settings.Operations())
            .Concat(new PoolMfaAndTags(_context, settings).Operations()))
        {
            _operations.Add(operation, handler);
        }
    }

    /// <summary>The operations the front answers itself.</summary>
    public IReadOnlyCollection<string> Operations => _operations.Keys;

    /// <summary>The pool's settings as DescribeUserPool reports them (feature plan, tags, key and issuer configuration, …).</summary>
    public Task<JsonObject> PoolSettingsAsync(string userPoolId, CancellationToken cancellationToken) => _settings.CurrentAsync(userPoolId, cancellationToken);

    /// <summary>A client secret kept in (local) Secrets Manager, by its ARN or name; null when there is none.</summary>
    public ManagedSecret? FindSecret(string secretId) => _secrets.Find(secretId);

    /// <summary>An app client as the token endpoint needs it (its active secrets, OAuth settings); null when the pool has no such client.</summary>
    public OAuthClientFacts? OAuthClient(string userPoolId, string clientId) => OAuthFacts.Client(_context.Store, userPoolId, clientId);

    /// <summary>Every custom scope of the pool's resource servers.</summary>
    public IReadOnlySet<string> OAuthScopes(string userPoolId) => OAuthFacts.PoolScopes(_context.Store, userPoolId);

    public async ValueTask<FrontReply?> BeforeAsync(FrontCall call, CancellationToken cancellationToken)
    {
        if (!_operations.TryGetValue(call.Operation, out var handler))
        {
            return null;
        }

        try
        {
            var result = await handler(call, cancellationToken);
            return new FrontReply(200, Encoding.UTF8.GetBytes(result.ToJsonString()));
        }
        catch (CognitoFault fault)
        {
            return fault.ToReply();
        }
        catch (Exception e) when (e is InvalidOperationException or FormatException or KeyNotFoundException or NullReferenceException or IOException)
        {
            // A defect of the front, or a request it cannot read: answered as Cognito answers its own failures.
            return FrontReply.Error(500, "InternalErrorException", $"The sandbox's Cognito front failed on {call.Operation}: {e.GetType().Name}: {e.Message}");
        }
    }

    public ValueTask AfterAsync(FrontCall call, FrontReply reply, CancellationToken cancellationToken)
    {
        if (call.Operation == "DeleteUserPool" && reply.IsSuccess && call.UserPoolId is { } userPoolId)
        {
            _context.Forget(userPoolId);
        }

        return ValueTask.CompletedTask;
    }
}
