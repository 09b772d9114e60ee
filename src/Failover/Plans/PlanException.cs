namespace IdentityReplicator.Failover.Plans;

/// <summary>
/// One thing wrong with a plan file: the file, where in it (1-based line and column; 0 when it is about the whole
/// file), the field's path (<c>dns.records[0].ttl</c>) and a message that says what to do.
/// </summary>
public sealed record PlanProblem(string File, int Line, int Column, string Path, string Message)
{
    /// <summary><c>file:line:column: message</c>, the form editors and terminals turn into a link.</summary>
    public override string ToString() => Line > 0 ? $"{File}:{Line}:{Column}: {Message}" : $"{File}: {Message}";
}

/// <summary>A plan file that cannot be used. Every problem names the file, the place, the field (as a path) and the fix.</summary>
public sealed class PlanException : Exception
{
    public PlanException(IReadOnlyList<PlanProblem> details)
        : base(string.Join(Environment.NewLine, details))
    {
        Details = details;
        Problems = [.. details.Select(d => d.ToString())];
    }

    public PlanException(IReadOnlyList<string> problems)
        : base(string.Join(Environment.NewLine, problems))
    {
        Problems = problems;
        Details = [.. problems.Select(p => new PlanProblem(string.Empty, 0, 0, string.Empty, p))];
    }

    public PlanException()
    {
        Problems = [];
        Details = [];
    }

    /// <summary>A problem with the file as a whole (it cannot be read), keeping what the file system said.</summary>
    public PlanException(PlanProblem problem, Exception innerException)
        : base(problem.ToString(), innerException)
    {
        Problems = [problem.ToString()];
        Details = [problem];
    }

    public PlanException(string message)
        : base(message)
    {
        Problems = [message];
        Details = [new PlanProblem(string.Empty, 0, 0, string.Empty, message)];
    }

    public PlanException(string message, Exception innerException)
        : base(message, innerException)
    {
        Problems = [message];
        Details = [new PlanProblem(string.Empty, 0, 0, string.Empty, message)];
    }

    /// <summary>Each problem as one line: <c>file:line:column: message</c>.</summary>
    public IReadOnlyList<string> Problems { get; }

    /// <summary>Each problem with its place and field path, for machines.</summary>
    public IReadOnlyList<PlanProblem> Details { get; }
}
