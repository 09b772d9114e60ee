using Amazon.Runtime;

namespace IdentityReplicator.Reconciler.Drift.Storage;

/// <summary>Builds the report stores the <c>Drift</c> settings ask for: a folder, a bucket, both, or none.</summary>
internal static class ReportStoreFactory
{
    /// <param name="options">The validated <c>Drift</c> settings.</param>
    /// <param name="standbyRegion">The bucket's Region unless <c>Drift:OutputBucketRegion</c> says otherwise.</param>
    /// <param name="credentials">Resolved only when a bucket is configured.</param>
    public static ReportStores Create(DriftOptions options, string standbyRegion, Func<AWSCredentials> credentials)
    {
        var stores = new List<IReportStore>();
        if (!string.IsNullOrWhiteSpace(options.OutputDirectory))
        {
            stores.Add(new FileSystemReportStore(options.OutputDirectory));
        }

        if (!string.IsNullOrWhiteSpace(options.OutputBucket))
        {
            var region = string.IsNullOrEmpty(options.OutputBucketRegion) ? standbyRegion : options.OutputBucketRegion;
            var client = S3ReportStore.CreateClient(credentials(), region, options.S3ServiceUrl);
            stores.Add(new S3ReportStore(client, options.OutputBucket, options.KeyPrefix, ownsClient: true));
        }

        return new ReportStores(stores);
    }
}
