using Amazon;
using Amazon.KeyManagementService;
using Amazon.Runtime;
using IdentityReplicator.Core.Aws;

namespace IdentityReplicator.Core.Kms;

/// <summary>
/// AWS KMS through the official AWSSDK.KeyManagementService package (served here, unlike most service packages):
/// one client per Region, pointed at <see cref="AwsEndpoint.ServiceUrl"/> when set (the sandbox, a VPC endpoint).
/// </summary>
public static class KmsClients
{
    public const string SigningName = "kms";

    public static IAmazonKeyManagementService Create(AwsEndpoint endpoint, AWSCredentials credentials)
    {
        var config = new AmazonKeyManagementServiceConfig();
        if (endpoint.ServiceUrl is { } url)
        {
            config.ServiceURL = url.ToString();
            config.AuthenticationRegion = endpoint.Region;
        }
        else
        {
            config.RegionEndpoint = RegionEndpoint.GetBySystemName(endpoint.Region);
        }

        return new AmazonKeyManagementServiceClient(credentials, config);
    }
}
