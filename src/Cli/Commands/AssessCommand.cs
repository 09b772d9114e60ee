using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using IdentityReplicator.Cli.Hosting;
using IdentityReplicator.Core.Assessment;
using IdentityReplicator.Core.Cognito;
using IdentityReplicator.Core.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace IdentityReplicator.Cli.Commands;

/// <summary>
/// <c>idrep assess [--config FILE] [-o text|json]</c>: reads the primary pool and says which approach fits — Cognito's
/// native replication, IdentityReplicator, or both — with the eligibility checks, the counts that decide it and the
/// coverage table (<see cref="NativeReplicationAssessor"/>). Reads only; counts, never personal data.
/// Exit codes: 0 assessed, 2 error.
/// </summary>
internal static class AssessCommand
{
    public static Command Build()
    {
        var config = CommonOptions.Config();
        config.Required = false;
        config.Description += " Without it, settings come from IDREP_ environment variables only.";
        var output = CommonOptions.Output();
        var verbose = CommonOptions.Verbose();
        var command = new Command("assess", "Assess the primary pool for Cognito's native multi-Region replication: eligibility, the users and settings that decide it, and a recommendation (native, replicator, native+companion) with who covers what.")
        {
            config, output, verbose,
        };
        command.SetAction((parse, cancellationToken) => ToolHost.RunAsync(
            () => RunAsync(parse.GetValue(config), parse.GetValue(output), parse.GetValue(verbose), cancellationToken),
            cancellationToken));
        return command;
    }

    private static async Task<int> RunAsync(FileInfo? file, bool json, bool verbose, CancellationToken cancellationToken)
    {
        await using var services = ToolHost.Build(CliConfiguration.Load(file), verbose);
        var pool = services.GetRequiredService<IOptions<ReplicationOptions>>().Value.Primary;
        var cognito = services.GetRequiredKeyedService<CognitoIdentityProviderClient>(PoolRoles.Primary);
        var assessment = NativeReplicationAssessor.Assess(await new PoolFactsReader(cognito).ReadAsync(pool.UserPoolId, cancellationToken));
        Console.WriteLine(json ? ToJson(assessment).ToJsonString(new JsonSerializerOptions { WriteIndented = true }) : ToText(assessment));
        return IdrepCommand.Ok;
    }

    internal static JsonObject ToJson(NativeAssessment assessment)
    {
        var facts = assessment.Facts;
        var population = facts.Population;
        return new JsonObject
        {
            ["userPoolId"] = facts.UserPoolId,
            ["region"] = facts.Region,
            ["recommendation"] = assessment.RecommendationName,
            ["reason"] = assessment.Reason,
            ["eligibility"] = new JsonArray([.. assessment.Checks.Select(c => (JsonNode)new JsonObject
            {
                ["check"] = c.Name, ["outcome"] = c.Outcome.ToString().ToLowerInvariant(), ["detail"] = c.Detail,
            })]),
            ["replicas"] = new JsonArray([.. facts.Replicas.Select(r => (JsonNode)new JsonObject
            {
                ["region"] = r.RegionName, ["status"] = r.Status, ["role"] = r.Role,
            })]),
            ["population"] = new JsonObject
            {
                ["users"] = population.Users,
                ["totpUsers"] = population.TotpUsers,
                ["totpUsersRead"] = population.TotpUsersRead,
                ["federatedUsers"] = population.FederatedUsers,
                ["withoutVerifiedChannel"] = population.WithoutVerifiedChannel,
                ["unconfirmed"] = population.Unconfirmed,
            },
            ["configuration"] = new JsonObject
            {
                ["featurePlan"] = facts.FeaturePlan,
                ["keyType"] = facts.KeyType,
                ["multiRegionKey"] = facts.MultiRegionKey,
                ["issuerType"] = facts.IssuerType,
                ["appClients"] = facts.AppClients,
                ["confidentialClients"] = facts.ConfidentialClients,
                ["triggers"] = new JsonArray([.. facts.Triggers.Select(t => (JsonNode)t)]),
                ["identityProviders"] = facts.IdentityProviders,
                ["totpEnabled"] = facts.TotpEnabled,
                ["customMessaging"] = facts.CustomMessaging,
                ["customDomain"] = facts.HasCustomDomain,
                ["domainFailover"] = facts.DomainFailover,
            },
            ["gaps"] = new JsonArray([.. assessment.Gaps.Select(g => (JsonNode)g)]),
            ["coverage"] = new JsonArray([.. assessment.Coverage.Select(r => (JsonNode)new JsonObject
            {
                ["capability"] = r.Capability, ["native"] = r.Native, ["replicator"] = r.Replicator, ["native+companion"] = r.NativeAndCompanion,
            })]),
        };
    }

    private static string ToText(NativeAssessment assessment)
    {
        var facts = assessment.Facts;
        var p = facts.Population;
        var lines = new List<string>
        {
            $"{facts.Region}/{facts.UserPoolId}: recommendation {assessment.RecommendationName}",
            assessment.Reason,
            string.Empty,
            "Eligibility for native replication:",
        };
        lines.AddRange(assessment.Checks.Select(c => $"  [{c.Outcome.ToString().ToLowerInvariant()}] {c.Name}: {c.Detail}"));
        lines.Add(string.Empty);
        lines.Add(string.Create(
            CultureInfo.InvariantCulture,
            $"Population: {p.Users} users; {(p.TotpUsers is { } totp ? $"{totp} with TOTP (of {p.TotpUsersRead} read)" : "TOTP not counted")}; {p.FederatedUsers} federated; {p.WithoutVerifiedChannel} without a verified email or phone; {p.Unconfirmed} unconfirmed."));
        lines.Add(string.Create(
            CultureInfo.InvariantCulture,
            $"Configuration: {facts.AppClients} app clients ({facts.ConfidentialClients} confidential); {facts.Triggers.Length} triggers; {facts.IdentityProviders} identity providers; custom domain: {(facts.HasCustomDomain ? "yes" : "no")}."));
        lines.Add(string.Empty);
        lines.Add("Who provides what (native | replicator | native+companion):");
        lines.AddRange(assessment.Coverage.Select(r => $"  {r.Capability}: {r.Native} | {r.Replicator} | {r.NativeAndCompanion}"));
        return string.Join(Environment.NewLine, lines);
    }
}
