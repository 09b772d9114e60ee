namespace IdentityReplicator.Sandbox.Emulators;

/// <summary>
/// An emulator did not start: every attempt, each on its own free port, ended with the process gone (a port taken
/// between being chosen and being bound, or a crash) or with another service answering on the port.
/// </summary>
internal sealed class EmulatorStartException : Exception
{
    public EmulatorStartException()
    {
    }

    public EmulatorStartException(string message)
        : base(message)
    {
    }

    public EmulatorStartException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    /// <summary>The emulator that did not start (e.g. <c>dynalite</c>).</summary>
    public string Emulator { get; init; } = string.Empty;

    /// <summary>The ports tried, in order.</summary>
    public IReadOnlyList<int> Ports { get; init; } = [];
}
