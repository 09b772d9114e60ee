namespace IdentityReplicator.Sandbox.Capacity;

/// <summary>
/// The application tier behind a local Auto Scaling group, Elastic Beanstalk environment or ECS service: a size range,
/// a desired count, and instances (or tasks) that come into service <c>ramp</c> after they were launched. Scaling in
/// removes the newest first, at once. Not thread-safe: the endpoints hold their own lock.
/// </summary>
internal sealed class ScalableTier(int min, int max, int desired, TimeSpan ramp, DateTimeOffset now)
{
    private readonly List<(string Id, DateTimeOffset ReadyAt)> _units = [.. Enumerable.Range(0, desired).Select(_ => (NewId(), now))];

    public int Min { get; set; } = min;

    public int Max { get; set; } = max;

    public int Desired { get; private set; } = desired;

    /// <summary>When the last change was made (the change that is ramping, if any).</summary>
    public DateTimeOffset ChangedAt { get; private set; } = now;

    /// <summary>Every change of the desired count, for tests that count side effects.</summary>
    public int Changes { get; private set; }

    public void SetDesired(int desired, DateTimeOffset now)
    {
        if (desired == Desired)
        {
            return;
        }

        Changes++;
        ChangedAt = now;
        while (_units.Count > desired)
        {
            _units.RemoveAt(_units.Count - 1);
        }

        while (_units.Count < desired)
        {
            _units.Add((NewId(), now + ramp));
        }

        Desired = desired;
    }

    public IReadOnlyList<(string Id, bool InService)> Units(DateTimeOffset now) => [.. _units.Select(u => (u.Id, u.ReadyAt <= now))];

    public int InService(DateTimeOffset now) => _units.Count(u => u.ReadyAt <= now);

    public int Pending(DateTimeOffset now) => _units.Count - InService(now);

    public bool IsSteady(DateTimeOffset now) => Pending(now) == 0;

    private static string NewId() => "i-" + Guid.NewGuid().ToString("N")[..17];
}

/// <summary>A fault a local endpoint answers with: HTTP status, the service's error code, and its message.</summary>
internal sealed class LocalFault : Exception
{
    public LocalFault(int status, string code, string message)
        : base(message)
    {
        Status = status;
        Code = code;
    }

    public LocalFault()
        : this(400, "InvalidRequest", "Invalid request")
    {
    }

    public LocalFault(string message)
        : this(400, "InvalidRequest", message)
    {
    }

    public LocalFault(string message, Exception innerException)
        : base(message, innerException)
    {
        Status = 400;
        Code = "InvalidRequest";
    }

    public int Status { get; }

    public string Code { get; }
}
