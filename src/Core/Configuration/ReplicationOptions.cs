using System.Text.RegularExpressions;
using IdentityReplicator.Core.Aws;

namespace IdentityReplicator.Core.Configuration;

/// <summary>One Cognito user pool: its Region, id, and optionally an endpoint override (the sandbox).</summary>
public sealed class PoolOptions
{
    public string Region { get; set; } = string.Empty;

    public string UserPoolId { get; set; } = string.Empty;

    /// <summary>Endpoint override; leave empty for the Region's public Cognito endpoint.</summary>
    public string? ServiceUrl { get; set; }

    public AwsEndpoint Endpoint => new(Region, string.IsNullOrEmpty(ServiceUrl) ? null : new Uri(ServiceUrl));

    internal IEnumerable<string> Validate(string path)
    {
        if (!Regex.IsMatch(Region, "^[a-z]{2}(-[a-z]+)+-[0-9]+$"))
        {
            yield return $"{path}:Region is '{Region}'; it must be an AWS Region name such as 'us-east-1'.";
        }

        if (!Regex.IsMatch(UserPoolId, "^[\\w-]+_[0-9a-zA-Z]+$"))
        {
            yield return $"{path}:UserPoolId is '{UserPoolId}'; it must be a user pool id such as 'us-east-1_AbC123xyz' (see the Cognito console or 'aws cognito-idp list-user-pools').";
        }

        if (!string.IsNullOrEmpty(ServiceUrl)
            && (!Uri.TryCreate(ServiceUrl, UriKind.Absolute, out var uri) || (uri.Scheme != Uri.UriSchemeHttp && uri.Scheme != Uri.UriSchemeHttps)))
        {
            yield return $"{path}:ServiceUrl is '{ServiceUrl}'; it must be an absolute http(s) URL, or empty for the public endpoint.";
        }
    }
}

/// <summary>Which pool is replicated to which, and what is replicated.</summary>
public sealed class ReplicationOptions
{
    public const string Section = "Replication";

    /// <summary>
    /// The custom attribute that carries each user's original <c>sub</c>, as a pool's schema names it (without the
    /// <c>custom:</c> prefix): what the CDK stacks and the sandbox define in both pools.
    /// </summary>
    public const string PrimarySubSchemaAttribute = "primary_sub";

    /// <summary>The default of <see cref="PrimarySubAttribute"/>, and of every setting that names the same attribute.</summary>
    public const string DefaultPrimarySubAttribute = "custom:" + PrimarySubSchemaAttribute;

    /// <summary>The pool users sign in to today; capture reads it.</summary>
    public PoolOptions Primary { get; set; } = new();

    /// <summary>The pool kept in step in the other Region; the reconciler writes it.</summary>
    public PoolOptions Standby { get; set; } = new();

    /// <summary>
    /// Whether the primary pool's usernames are case sensitive (UsernameConfiguration.CaseSensitive). Cognito's
    /// default for new pools is false; identity keys of case-insensitive pools are lower-cased.
    /// </summary>
    public bool UsernamesCaseSensitive { get; set; }

    /// <summary>Attributes never written to the standby (e.g. ones its schema lacks on purpose).</summary>
    public List<string> ExcludeAttributes { get; set; } = [];

    /// <summary>
    /// A custom attribute that, where the standby's schema has it, carries each standby user's original <c>sub</c>
    /// (the key the application's data uses); the standby's Pre Token Generation trigger turns it into a claim.
    /// Empty turns it off; the mapping is kept in the mirror table either way.
    /// </summary>
    public string PrimarySubAttribute { get; set; } = DefaultPrimarySubAttribute;

    /// <summary>
    /// Who replicates users: <c>replicator</c> (default; this tool, to a standby pool of its own) or <c>native</c>
    /// (Cognito's native replica; <see cref="Standby"/> is the same pool id in the secondary Region, and the worker
    /// measures the replica's lag instead of applying users). <see cref="ReplicationModes"/>.
    /// </summary>
    public string Mode { get; set; } = ReplicationModes.Replicator;

    /// <summary>The native replica's companion (<c>Replication:Native</c>), read in native mode.</summary>
    public NativeReplicationOptions Native { get; set; } = new();

    /// <summary>Whether <see cref="Mode"/> is <c>native</c>.</summary>
    public bool IsNative => string.Equals(Mode, ReplicationModes.Native, StringComparison.Ordinal);

    public IEnumerable<string> Validate()
    {
        foreach (var error in Primary.Validate($"{Section}:Primary"))
        {
            yield return error;
        }

        foreach (var error in Standby.Validate($"{Section}:Standby"))
        {
            yield return error;
        }

        if (!string.IsNullOrEmpty(PrimarySubAttribute) && !PrimarySubAttribute.StartsWith("custom:", StringComparison.Ordinal))
        {
            yield return $"{Section}:PrimarySubAttribute is '{PrimarySubAttribute}'; it must be a custom attribute ('custom:…') of the standby's schema, or empty.";
        }

        if (!ReplicationModes.All.Contains(Mode, StringComparer.Ordinal))
        {
            yield return $"{Section}:Mode is '{Mode}'; use '{ReplicationModes.Replicator}' (the default: this tool replicates users to a standby pool) or '{ReplicationModes.Native}' (Cognito's native replica replicates them).";
        }

        if (IsNative)
        {
            if (Primary.UserPoolId != Standby.UserPoolId || Primary.Region == Standby.Region)
            {
                yield return $"{Section}:Standby is {Standby.UserPoolId} in {Standby.Region}; in native mode it must be the primary's pool id ({Primary.UserPoolId}) in the replica's Region, which is not the primary's ({Primary.Region}).";
            }

            foreach (var error in Native.Validate($"{Section}:Native"))
            {
                yield return error;
            }
        }

        if (Primary.UserPoolId == Standby.UserPoolId && Primary.Region == Standby.Region && Primary.ServiceUrl == Standby.ServiceUrl)
        {
            yield return $"{Section}:Primary and {Section}:Standby name the same pool ({Primary.UserPoolId} in {Primary.Region}); the standby must be a different pool, normally in another Region.";
        }
    }
}
