namespace IdentityReplicator.Cli.Hosting;

/// <summary>
/// Progress lines for people: a line that repeats the one before it (a step polling "promote-database: switching-over"
/// ten times) is not printed again; when the next different line arrives, one line says how often it came.
/// </summary>
internal sealed class ProgressLines(Action<string> write)
{
    private readonly Lock _gate = new();
    private string? _last;
    private int _repeats;

    /// <summary>Writes <paramref name="line"/> unless it repeats the previous one.</summary>
    public void Write(string line)
    {
        lock (_gate)
        {
            if (string.Equals(line, _last, StringComparison.Ordinal))
            {
                _repeats++;
                return;
            }

            FlushRepeats();
            _last = line;
            write(line);
        }
    }

    private void FlushRepeats()
    {
        if (_repeats > 0)
        {
            write($"  (the line above ×{_repeats + 1})");
            _repeats = 0;
        }
    }
}
