namespace IdentityReplicator.Reconciler.Drift.Storage;

/// <summary>Builds the report stores the <c>Drift</c> settings ask for.</summary>
public static class ReportStoreFactory
{
    public static ReportStores Create(DriftOptions options)
    {
        var stores = new List<IReportStore>();
        if (!string.IsNullOrWhiteSpace(options.OutputDirectory))
        {
            stores.Add(new FileSystemReportStore(options.OutputDirectory));
        }

        return new ReportStores(stores);
    }
}
