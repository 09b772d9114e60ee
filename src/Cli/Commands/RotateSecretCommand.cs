using System.CommandLine;
using System.Globalization;
using IdentityReplicator.Cli.Hosting;
using IdentityReplicator.Core.Configuration;
using IdentityReplicator.Core.Mirror;
using IdentityReplicator.Core.PoolConfiguration;
using IdentityReplicator.Reconciler.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace IdentityReplicator.Cli.Commands;

/// <summary>
/// <c>idrep clients rotate-secret --client NAME [--config FILE] [--apply --secret-file FILE]</c>: one new custom secret
/// for the client of that name in both pools, so rotation never splits the Regions (<see cref="SecretRotation"/>).
/// A dry run by default. The value goes only to the secret file (created new, readable by its owner only); output shows
/// its fingerprint and the secret ids. Exit codes: 0 done (or would be), 1 blocked or split between the pools, 2 usage
/// or configuration error.
/// </summary>
internal static class RotateSecretCommand
{
    public static Command Build()
    {
        var config = CommonOptions.Config();
        config.Required = false;
        var client = new Option<string>("--client") { Description = "The app client's name (ClientName), the same in both pools.", Required = true };
        var apply = new Option<bool>("--apply") { Description = "Add the new secret to both pools (without it: only say what would be done)." };
        var secretFile = new Option<FileInfo?>("--secret-file")
        {
            Description = "With --apply: a new file to write the secret to (owner-only permissions; it must not exist). The only place the value goes: move it into your callers' secret store, then delete the file.",
        };
        var verbose = CommonOptions.Verbose();
        var command = new Command("rotate-secret", "Add one new secret to the same-named app client in both pools (dry run unless --apply), so rotation never splits the Regions. Never deletes a secret.")
        {
            config,
            client,
            apply,
            secretFile,
            verbose,
        };
        command.Validators.Add(r =>
        {
            if (r.GetValue(apply) && r.GetValue(secretFile) is null)
            {
                r.AddError("--apply needs --secret-file FILE: the new secret is written there and nowhere else (it is never printed or logged).");
            }
        });
        command.SetAction((parse, cancellationToken) => ToolHost.RunAsync(
            () => RunAsync(parse.GetValue(config), parse.GetValue(client)!, parse.GetValue(apply) ? parse.GetValue(secretFile) : null, parse.GetValue(verbose), cancellationToken),
            cancellationToken));
        return command;
    }

    private static async Task<int> RunAsync(FileInfo? file, string clientName, FileInfo? secretFile, bool verbose, CancellationToken cancellationToken)
    {
        if (secretFile is { Exists: true })
        {
            throw new CliUsageException($"Secret file '{secretFile.FullName}' (--secret-file) exists already; name a new file, so no secret is overwritten.");
        }

        await using var services = ToolHost.Build(CliConfiguration.Load(file), verbose);
        var rotation = new SecretRotation(
            services.GetRequiredKeyedService<IPoolConfigurationDirectory>(PoolRoles.Primary),
            services.GetRequiredKeyedService<IPoolConfigurationDirectory>(PoolRoles.Standby),
            services.GetRequiredService<IOptions<ConfigurationReplicationOptions>>().Value,
            services.GetRequiredService<ILogger<SecretRotation>>(),
            services.GetRequiredService<IRotatedSecretStore>(),
            services.GetRequiredService<TimeProvider>());
        var plan = await rotation.PlanAsync(clientName, cancellationToken);
        Console.WriteLine($"rotate-secret {clientName}{(secretFile is null ? " (dry run: nothing changes; --apply --secret-file FILE does it)" : string.Empty)}");
        foreach (var side in plan.Sides)
        {
            var secrets = side.Secrets.IsEmpty ? "no secret" : string.Join(", ", side.Secrets.Select(s => $"{s.SecretId ?? "(id not listed)"} created {s.CreatedAt?.ToString("u", CultureInfo.InvariantCulture) ?? "?"}"));
            Console.WriteLine($"  {side.Role} {side.Region} {side.UserPoolId} client {side.ClientId ?? "-"}: {secrets}");
        }

        if (!plan.CanApply)
        {
            foreach (var blocker in plan.Blockers)
            {
                Console.WriteLine($"blocked: {blocker}");
            }

            return IdrepCommand.CheckFailed;
        }

        if (secretFile is null)
        {
            Console.WriteLine($"would: draw a new {SecretRotation.SecretLength}-character secret, write it to the secret file, add it to the primary's client, then to the standby's; nothing is deleted");
            return IdrepCommand.Ok;
        }

        var result = await rotation.ApplyAsync(plan, (secret, token) => WriteSecretAsync(secretFile, secret, token), cancellationToken);
        Console.WriteLine($"new secret {result.Fingerprint} written to {secretFile.FullName}");
        foreach (var side in result.Sides)
        {
            Console.WriteLine(side.Outcome switch
            {
                RotationOutcome.Added => $"  {side.Side.Role} {side.Side.UserPoolId} client {side.Side.ClientId}: added as secret {side.SecretId ?? "(id not given)"}",
                RotationOutcome.Refused => $"  {side.Side.Role} {side.Side.UserPoolId} client {side.Side.ClientId}: refused ({side.Code}), unchanged",
                _ => $"  {side.Side.Role} {side.Side.UserPoolId} client {side.Side.ClientId}: not tried, unchanged",
            });
        }

        foreach (var step in result.NextSteps())
        {
            Console.WriteLine($"next: {step}");
        }

        return result.IsComplete ? IdrepCommand.Ok : IdrepCommand.CheckFailed;
    }

    /// <summary>Creates the file (never overwrites one), readable and writable by its owner only where the system has modes.</summary>
    private static async Task WriteSecretAsync(FileInfo file, string secret, CancellationToken cancellationToken)
    {
        var options = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write };
        if (!OperatingSystem.IsWindows())
        {
            options.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
        }

        await using var stream = new FileStream(file.FullName, options);
        await using var writer = new StreamWriter(stream);
        await writer.WriteAsync(secret.AsMemory(), cancellationToken);
    }
}
