namespace IdentityReplicator.Reconciler.Tests.Apply;

/// <summary>
/// Runs workers one step at a time, in an order a test chooses: exactly one worker runs between two turns, and a
/// worker gives its turn back at every step it reaches (<see cref="Worker.Step"/>, called from an interception hook
/// before each Cognito call and each replica-state operation). The choices pick, at each turn, which of the workers
/// still running goes on; replaying the same choices replays the same interleaving.
/// </summary>
internal sealed class Interleaver
{
    private static readonly TimeSpan TurnTimeout = TimeSpan.FromSeconds(30);

    private readonly SemaphoreSlim _turnEnded = new(0);

    /// <summary>Runs <paramref name="bodies"/>, one worker each, interleaved by <paramref name="choices"/> (used in a cycle).</summary>
    public async Task RunAsync(IReadOnlyList<Worker> workers, IReadOnlyList<Func<Task>> bodies, IReadOnlyList<int> choices)
    {
        var tasks = workers.Select((worker, i) => Task.Run(async () =>
        {
            worker.AwaitTurn();
            try
            {
                await bodies[i]();
            }
            finally
            {
                worker.Done = true;
                _turnEnded.Release();
            }
        })).ToArray();

        var turn = 0;
        while (workers.Where(w => !w.Done).ToList() is { Count: > 0 } running)
        {
            var next = running[choices.Count == 0 ? 0 : choices[turn++ % choices.Count] % running.Count];
            next.Grant();
            if (!await _turnEnded.WaitAsync(TurnTimeout))
            {
                throw new TimeoutException("A worker neither reached a step nor finished within its turn.");
            }
        }

        await Task.WhenAll(tasks);
    }

    /// <summary>A new worker of this interleaver.</summary>
    public Worker NewWorker() => new(this);

    /// <summary>One worker: its hooks call <see cref="Step"/>.</summary>
    internal sealed class Worker(Interleaver owner)
    {
        private readonly SemaphoreSlim _go = new(0);
        private volatile bool _done;

        public bool Done
        {
            get => _done;
            set => _done = value;
        }

        /// <summary>Ends this worker's turn and waits for its next one.</summary>
        public void Step()
        {
            owner._turnEnded.Release();
            AwaitTurn();
        }

        internal void Grant() => _go.Release();

        internal void AwaitTurn()
        {
            if (!_go.Wait(TurnTimeout))
            {
                throw new TimeoutException("A worker waited for its turn in vain: the interleaver stopped.");
            }
        }
    }
}
