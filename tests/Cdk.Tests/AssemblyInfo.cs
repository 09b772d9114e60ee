// The jsii runtime behind the CDK is one Node process per test host, spoken to over a pipe that is not
// safe for concurrent use: synthesize one app at a time.
[assembly: CollectionBehavior(DisableTestParallelization = true)]
