using Amazon.Runtime;
using Amazon.Runtime.CredentialManagement;
using Amazon.Runtime.Credentials;
using IdentityReplicator.Core.Configuration;

namespace IdentityReplicator.Core.Aws;

/// <summary>
/// How to find AWS credentials. Leave everything empty in production: the standard chain (environment,
/// shared profile, SSO, container, instance metadata) is used. Static keys are for the local sandbox,
/// whose emulators accept any signature.
/// </summary>
public sealed class AwsCredentialOptions
{
    public const string Section = "Aws";

    /// <summary>A named profile of the shared config/credentials files.</summary>
    public string? Profile { get; set; }

    public string? AccessKeyId { get; set; }

    public string? SecretAccessKey { get; set; }

    public string? SessionToken { get; set; }

    /// <summary>
    /// Resolves the credentials once; refreshing credentials (SSO, container, IMDS) keep refreshing themselves. Keys
    /// or a profile that cannot be used throw a <see cref="ConfigurationException"/>.
    /// </summary>
    public AWSCredentials Resolve()
    {
        if (!string.IsNullOrEmpty(AccessKeyId))
        {
            if (string.IsNullOrEmpty(SecretAccessKey))
            {
                throw new ConfigurationException(ConfigurationProblem.Missing($"{Section}:SecretAccessKey", $"set when {Section}:AccessKeyId is; set both, or neither to use the standard credential chain"));
            }

            return string.IsNullOrEmpty(SessionToken)
                ? new BasicAWSCredentials(AccessKeyId, SecretAccessKey)
                : new SessionAWSCredentials(AccessKeyId, SecretAccessKey, SessionToken);
        }

        if (!string.IsNullOrEmpty(Profile))
        {
            if (new CredentialProfileStoreChain().TryGetAWSCredentials(Profile, out var profileCredentials))
            {
                return profileCredentials;
            }

            throw new ConfigurationException(ConfigurationProblem.Invalid(
                $"{Section}:Profile",
                Profile,
                $"a profile of the shared config or credentials file; run 'aws configure --profile {Profile}' or unset {Section}:Profile"));
        }

        return new DefaultAWSCredentialsIdentityResolver().ResolveIdentity(null);
    }
}
