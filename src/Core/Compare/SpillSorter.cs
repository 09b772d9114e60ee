namespace IdentityReplicator.Core.Compare;

/// <summary>How one kind of compact record is written to a spill file and read back, and about how much memory it holds.</summary>
public interface ISpillCodec<T>
{
    void Write(BinaryWriter writer, T record);

    T Read(BinaryReader reader);

    /// <summary>About how many bytes the record holds in memory (strings, fields and object overhead).</summary>
    int EstimatedBytes(T record);
}

/// <summary>
/// A folder of owner-only temporary files for one run (<see cref="Directory.CreateTempSubdirectory"/> creates it with
/// mode 0700 on Unix), deleted with everything in it when the run ends — also on failure. Created only when a sorter
/// first spills.
/// </summary>
public sealed class SpillFolder(string? root = null) : IDisposable
{
    private readonly Lock _gate = new();
    private string? _path;
    private int _files;

    /// <summary>The folder, once something spilled; <c>null</c> before.</summary>
    public string? Path => _path;

    /// <summary>How many run files were written in this folder.</summary>
    public int Files => Volatile.Read(ref _files);

    internal FileStream CreateRunFile()
    {
        string folder;
        lock (_gate)
        {
            ObjectDisposedException.ThrowIf(_path == string.Empty, this);
            _path ??= root is null
                ? Directory.CreateTempSubdirectory("idrep-compact-").FullName
                : CreateUnder(root);
            folder = _path;
        }

        var file = System.IO.Path.Combine(folder, $"run-{Interlocked.Increment(ref _files):D6}.bin");
        var options = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.ReadWrite, Share = FileShare.None, BufferSize = 1 << 16 };
        if (!OperatingSystem.IsWindows())
        {
            options.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
        }

        return new FileStream(file, options);
    }

    public void Dispose()
    {
        string? path;
        lock (_gate)
        {
            path = _path;
            _path = string.Empty;
        }

        if (!string.IsNullOrEmpty(path) && Directory.Exists(path))
        {
            Directory.Delete(path, recursive: true);
        }
    }

    private static string CreateUnder(string root)
    {
        var path = System.IO.Path.Combine(root, "idrep-compact-" + Guid.NewGuid().ToString("N")[..12]);
        if (OperatingSystem.IsWindows())
        {
            Directory.CreateDirectory(path);
        }
        else
        {
            Directory.CreateDirectory(path, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        }

        return path;
    }
}

/// <summary>
/// Sorts records that may not fit in memory: records are buffered up to a byte budget; past it the buffer is sorted and
/// written to a run file in the <see cref="SpillFolder"/>, and <see cref="Sorted"/> merges the runs (k-way, one record
/// per run in memory) — each record is written and read once, sequentially. Within the budget nothing touches the
/// disk. <see cref="Add"/> is thread-safe; <see cref="Sorted"/> may be enumerated more than once, after the last add.
/// </summary>
public sealed class SpillSorter<T>(ISpillCodec<T> codec, IComparer<T> comparer, long budgetBytes, SpillFolder folder) : IDisposable
{
    private readonly Lock _gate = new();
    private readonly List<FileStream> _runs = [];
    private List<T> _buffer = [];
    private long _bufferBytes;
    private bool _sealed;

    public long Count { get; private set; }

    public int Runs => _runs.Count;

    public void Add(T record)
    {
        lock (_gate)
        {
            if (_sealed)
            {
                throw new InvalidOperationException("Records were added after the sorted records were read.");
            }

            _buffer.Add(record);
            _bufferBytes += codec.EstimatedBytes(record) + 8;
            Count++;
            if (_bufferBytes > budgetBytes && _buffer.Count > 1)
            {
                Spill();
            }
        }
    }

    /// <summary>All records in order (stable for equal records within a run, unspecified across runs).</summary>
    public IEnumerable<T> Sorted()
    {
        lock (_gate)
        {
            if (!_sealed)
            {
                _sealed = true;
                if (_runs.Count > 0 && _buffer.Count > 0)
                {
                    Spill();
                }
                else
                {
                    SortBuffer();
                }
            }
        }

        return _runs.Count == 0 ? _buffer : Merge();
    }

    public void Dispose()
    {
        foreach (var run in _runs)
        {
            run.Dispose();
        }

        _runs.Clear();
        _buffer = [];
    }

    private void SortBuffer()
    {
        var sorted = _buffer.Select((r, i) => (r, i)).ToArray();
        Array.Sort(sorted, (a, b) => comparer.Compare(a.r, b.r) is var c && c != 0 ? c : a.i.CompareTo(b.i));
        _buffer = [.. sorted.Select(x => x.r)];
    }

    private void Spill()
    {
        SortBuffer();
        var file = folder.CreateRunFile();
        using (var writer = new BinaryWriter(file, System.Text.Encoding.UTF8, leaveOpen: true))
        {
            writer.Write(_buffer.Count);
            foreach (var record in _buffer)
            {
                codec.Write(writer, record);
            }
        }

        file.Flush();
        _runs.Add(file);
        _buffer = [];
        _bufferBytes = 0;
    }

    private IEnumerable<T> Merge()
    {
        var readers = new List<(BinaryReader Reader, int Left)>();
        try
        {
            var queue = new PriorityQueue<(T Record, int Run), (T Record, int Run)>(
                Comparer<(T Record, int Run)>.Create((a, b) => comparer.Compare(a.Record, b.Record) is var c && c != 0 ? c : a.Run.CompareTo(b.Run)));
            foreach (var run in _runs)
            {
                var stream = new BufferedStream(new SubStream(run), 1 << 16);
                var reader = new BinaryReader(stream, System.Text.Encoding.UTF8, leaveOpen: false);
                readers.Add((reader, reader.ReadInt32()));
                Next(readers.Count - 1);
            }

            while (queue.TryDequeue(out var head, out _))
            {
                yield return head.Record;
                Next(head.Run);
            }

            void Next(int run)
            {
                var (reader, left) = readers[run];
                if (left > 0)
                {
                    var record = codec.Read(reader);
                    readers[run] = (reader, left - 1);
                    queue.Enqueue((record, run), (record, run));
                }
            }
        }
        finally
        {
            foreach (var (reader, _) in readers)
            {
                reader.Dispose();
            }
        }
    }

    /// <summary>A read of a run file from its start that leaves the file open (a merge may be read again).</summary>
    private sealed class SubStream(FileStream file) : Stream
    {
        private long _position;

        public override bool CanRead => true;

        public override bool CanSeek => false;

        public override bool CanWrite => false;

        public override long Length => file.Length;

        public override long Position { get => _position; set => throw new NotSupportedException(); }

        public override int Read(byte[] buffer, int offset, int count)
        {
            file.Position = _position;
            var read = file.Read(buffer, offset, count);
            _position += read;
            return read;
        }

        public override void Flush()
        {
        }

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();

        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    }
}
