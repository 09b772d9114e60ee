using Amazon.Runtime;
using Amazon.SimpleSystemsManagement;
using Amazon.SimpleSystemsManagement.Model;
using IdentityReplicator.Core.Aws;

namespace IdentityReplicator.Core.ClientConfig;

/// <summary>One parameter's value as stored (type <c>String</c>, <c>StringList</c> or <c>SecureString</c>).</summary>
public sealed record ParameterValue(string Name, string Value, string Type, long Version);

/// <summary>
/// The application's client configuration (pool id, app client id, Region, endpoints …) in one Region's
/// parameter store. A port: implemented for SSM Parameter Store, faked in memory in tests.
/// </summary>
public interface IClientConfigStore
{
    string Region { get; }

    /// <summary>The named parameters that exist (missing names are simply absent).</summary>
    Task<IReadOnlyDictionary<string, ParameterValue>> GetAsync(IReadOnlyCollection<string> names, CancellationToken cancellationToken);

    /// <summary>Writes a value (overwriting); returns the new version.</summary>
    Task<long> PutAsync(string name, string value, string type, CancellationToken cancellationToken);
}

/// <summary>An error answered by SSM, as a typed exception of this code base.</summary>
internal sealed class ClientConfigException : AwsServiceException
{
    public ClientConfigException(AmazonServiceException inner)
        : base("ssm", inner.ErrorCode ?? "Unknown", inner.Message, inner.StatusCode, inner.RequestId, inner)
    {
    }

    public ClientConfigException()
    {
    }

    public ClientConfigException(string message)
        : base(message)
    {
    }

    public ClientConfigException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}

/// <summary><see cref="IClientConfigStore"/> on SSM Parameter Store (AWSSDK.SimpleSystemsManagement).</summary>
public sealed class SsmParameterStore : IClientConfigStore, IDisposable
{
    private const int GetParametersLimit = 10;
    private readonly AmazonSimpleSystemsManagementClient _ssm;

    public SsmParameterStore(AwsEndpoint endpoint, AWSCredentials credentials)
    {
        Region = endpoint.Region;
        var config = new AmazonSimpleSystemsManagementConfig { MaxErrorRetry = 4, Timeout = TimeSpan.FromSeconds(15) };
        if (endpoint.ServiceUrl is not null)
        {
            config.ServiceURL = endpoint.ServiceUrl.ToString();
            config.AuthenticationRegion = endpoint.Region;
        }
        else
        {
            config.RegionEndpoint = Amazon.RegionEndpoint.GetBySystemName(endpoint.Region);
        }

        _ssm = new AmazonSimpleSystemsManagementClient(credentials, config);
    }

    public string Region { get; }

    public async Task<IReadOnlyDictionary<string, ParameterValue>> GetAsync(IReadOnlyCollection<string> names, CancellationToken cancellationToken)
    {
        var found = new Dictionary<string, ParameterValue>(StringComparer.Ordinal);
        foreach (var chunk in names.Distinct(StringComparer.Ordinal).Chunk(GetParametersLimit))
        {
            try
            {
                var response = await _ssm.GetParametersAsync(new GetParametersRequest { Names = [.. chunk], WithDecryption = true }, cancellationToken);
                foreach (var parameter in response.Parameters ?? [])
                {
                    found[parameter.Name] = new ParameterValue(parameter.Name, parameter.Value, parameter.Type?.Value ?? "String", parameter.Version ?? 0);
                }
            }
            catch (AmazonServiceException e)
            {
                throw new ClientConfigException(e);
            }
        }

        return found;
    }

    public async Task<long> PutAsync(string name, string value, string type, CancellationToken cancellationToken)
    {
        try
        {
            var response = await _ssm.PutParameterAsync(
                new PutParameterRequest { Name = name, Value = value, Type = ParameterType.FindValue(type), Overwrite = true },
                cancellationToken);
            return response.Version ?? 0;
        }
        catch (AmazonServiceException e)
        {
            throw new ClientConfigException(e);
        }
    }

    public void Dispose() => _ssm.Dispose();
}
