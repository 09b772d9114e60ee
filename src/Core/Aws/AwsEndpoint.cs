namespace IdentityReplicator.Core.Aws;

/// <summary>Where one AWS service is reached: a Region, and optionally an explicit URL (the sandbox, a VPC endpoint).</summary>
public sealed record AwsEndpoint(string Region, Uri? ServiceUrl = null)
{
    /// <summary>The URL requests go to: <see cref="ServiceUrl"/> when set, else the service's public Regional endpoint.</summary>
    public Uri ResolveUri(string endpointPrefix)
    {
        if (ServiceUrl is not null)
        {
            return ServiceUrl;
        }

        var suffix = Region.StartsWith("cn-", StringComparison.Ordinal) ? "amazonaws.com.cn" : "amazonaws.com";
        return new Uri($"https://{endpointPrefix}.{Region}.{suffix}/");
    }

    public override string ToString() => ServiceUrl is null ? Region : $"{Region} ({ServiceUrl})";
}
