// Tests that share one emulator run in the same collection; the rest run in parallel.
[assembly: CollectionBehavior(MaxParallelThreads = 4)]
