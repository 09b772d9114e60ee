namespace IdentityReplicator.Reconciler.Drift.Storage;

/// <summary>Writes each report into a folder as <c>drift-yyyyMMdd-HHmmss.&lt;extension&gt;</c> (<c>Drift:OutputDirectory</c>).</summary>
internal sealed class FileSystemReportStore(string directory) : IReportStore
{
    public string Directory { get; } = directory;

    public async Task<IReadOnlyList<string>> SaveAsync(DateTimeOffset generatedAt, IReadOnlyList<ReportDocument> documents, CancellationToken cancellationToken)
    {
        try
        {
            System.IO.Directory.CreateDirectory(Directory);
            var written = new List<string>(documents.Count);
            foreach (var document in documents)
            {
                var path = Path.Combine(Directory, $"{ReportNames.Stem(generatedAt)}.{document.Extension}");
                await File.WriteAllTextAsync(path, document.Content, cancellationToken);
                written.Add(path);
            }

            return written;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new ReportStoreException($"Could not write the drift report into '{Directory}' (Drift:OutputDirectory): {e.Message}. Check that the folder is writable by this process, or change Drift:OutputDirectory.", e);
        }
    }
}
