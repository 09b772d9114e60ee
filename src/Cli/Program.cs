using IdentityReplicator.Cli.Commands;

return await IdrepCommand.RunAsync(args);
