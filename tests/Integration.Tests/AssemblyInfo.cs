// Every end-to-end test runs a whole sandbox (three emulator processes); on a 2-core machine they run one at a time.
[assembly: CollectionBehavior(DisableTestParallelization = true)]
