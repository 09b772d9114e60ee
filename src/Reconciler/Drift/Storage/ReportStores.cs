namespace IdentityReplicator.Reconciler.Drift.Storage;

/// <summary>Every configured destination at once (a folder and a bucket may both be set); none is a valid choice.</summary>
internal sealed class ReportStores(IEnumerable<IReportStore> stores) : IReportStore, IDisposable
{
    private readonly IReadOnlyList<IReportStore> _stores = [.. stores];

    public int Count => _stores.Count;

    public async Task<IReadOnlyList<string>> SaveAsync(DateTimeOffset generatedAt, IReadOnlyList<ReportDocument> documents, CancellationToken cancellationToken)
    {
        var written = new List<string>();
        foreach (var store in _stores)
        {
            written.AddRange(await store.SaveAsync(generatedAt, documents, cancellationToken));
        }

        return written;
    }

    public void Dispose()
    {
        foreach (var store in _stores.OfType<IDisposable>())
        {
            store.Dispose();
        }
    }
}
