using System.Collections.Concurrent;
using Amazon;
using Amazon.DynamoDBv2;
using Amazon.Runtime;

namespace IdentityReplicator.Core.Mirror;

/// <summary>One DynamoDB client per Region of the mirror table (a global table has a replica in each).</summary>
public sealed class MirrorClients(MirrorOptions options, AWSCredentials credentials) : IDisposable
{
    private readonly ConcurrentDictionary<string, AmazonDynamoDBClient> _clients = new(StringComparer.Ordinal);

    public IAmazonDynamoDB For(string region) => _clients.GetOrAdd(region, r => new AmazonDynamoDBClient(credentials, ConfigFor(r, options)));

    /// <summary>Client settings for a Region: its endpoint override if configured, SDK retries in standard mode.</summary>
    public static AmazonDynamoDBConfig ConfigFor(string region, MirrorOptions options, TimeSpan? timeout = null, int? maxErrorRetry = null)
    {
        var config = new AmazonDynamoDBConfig
        {
            RetryMode = RequestRetryMode.Standard,
            MaxErrorRetry = maxErrorRetry ?? 4,
            Timeout = timeout ?? TimeSpan.FromSeconds(10),
        };
        if (options.Endpoints.TryGetValue(region, out var url) && !string.IsNullOrEmpty(url))
        {
            config.ServiceURL = url;
            config.AuthenticationRegion = region;
        }
        else
        {
            config.RegionEndpoint = RegionEndpoint.GetBySystemName(region);
        }

        return config;
    }

    public void Dispose()
    {
        foreach (var client in _clients.Values)
        {
            client.Dispose();
        }
    }
}
