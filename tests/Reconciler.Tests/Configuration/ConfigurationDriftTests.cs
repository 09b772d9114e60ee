using System.Text.Json.Nodes;
using IdentityReplicator.Core.PoolConfiguration;
using IdentityReplicator.Reconciler.Configuration;
using IdentityReplicator.Reconciler.Drift;
using IdentityReplicator.Reconciler.Drift.Formats;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;

namespace IdentityReplicator.Reconciler.Tests.Configuration;

/// <summary>The <c>configuration</c> section of drift reports: what it names, what repair does, how every format shows it and what counts.</summary>
public sealed class ConfigurationDriftTests
{
    private static readonly CancellationToken None = CancellationToken.None;

    private readonly InMemoryConfigurationPool _source = new("eu-west-1_Source", "eu-west-1");
    private readonly InMemoryConfigurationPool _target = new("eu-central-1_Target", "eu-central-1");

    [Fact]
    public async Task RunAsync_StandbySideChangeToAClientSetting_NamesIt()
    {
        // Arrange
        var targetId = await InStepAsync();
        _target.Clients[targetId].Settings["CallbackURLs"] = new JsonArray("https://evil.example.com/cb");

        // Act
        var section = await Drift().RunAsync(_target.UserPoolId, repair: false, None);

        // Assert
        var finding = Assert.Single(section!.Findings, f => f.IsDrift);
        Assert.Equal("client web/CallbackURLs", finding.Name);
        Assert.Equal(1, section.Differences);
        Assert.Empty(_target.Writes);
    }

    [Fact]
    public async Task RunAsync_Repair_FixesTheChangeAndNothingRemains()
    {
        // Arrange
        var targetId = await InStepAsync();
        _target.Clients[targetId].Settings["CallbackURLs"] = new JsonArray("https://evil.example.com/cb");

        // Act
        var section = await Drift().RunAsync(_target.UserPoolId, repair: true, None);

        // Assert
        Assert.Equal(new ConfigurationRepair(1, 0, 0), section!.Repair);
        Assert.Equal(0, section.Remaining);
        Assert.Equal(["https://app.example.com/cb"], _target.Clients[targetId].Settings["CallbackURLs"]!.AsArray().Select(n => (string?)n));
    }

    [Fact]
    public async Task RunAsync_OtherTargetPool_HasNoSection()
    {
        // Act
        var section = await Drift().RunAsync("us-east-1_Elsewhere", repair: false, None);

        // Assert
        Assert.Null(section);
    }

    [Fact]
    public void Render_ReportWithAConfigurationSection_ShowsItInEveryFormatAndCountsOnlyDrift()
    {
        // Arrange
        var section = new ConfigurationDriftSection(
            [
                new ConfigFinding(ConfigFindingKind.Differs, "client web", "CallbackURLs", "differs"),
                new ConfigFinding(ConfigFindingKind.Unmapped, "pool", "SmsConfiguration/ExternalId", "no counterpart"),
            ],
            [],
            null,
            null);
        var report = Report() with { Configuration = section, Summary = new DriftSummary { ConfigDifferences = section.Differences } };

        // Act
        var text = DriftFormats.Render(report, DriftFormat.Text);
        var json = JsonNode.Parse(DriftFormats.Render(report, DriftFormat.Json))!;
        var html = DriftFormats.Render(report, DriftFormat.Html);
        var md = DriftFormats.Render(report, DriftFormat.Md);

        // Assert
        Assert.Contains("client web/CallbackURLs", text, StringComparison.Ordinal);
        Assert.Contains("client web/CallbackURLs", md, StringComparison.Ordinal);
        Assert.Contains("<table id=\"configuration\">", html, StringComparison.Ordinal);
        Assert.Equal(1, (int)json["summary"]!["configDifferences"]!);
        Assert.False((bool)json["summary"]!["inSync"]!);
        Assert.Equal(2, json["configuration"]!["findings"]!.AsArray().Count);
        Assert.Equal(1, DriftReportService.RemainingDifferences(report));
    }

    private static DriftReport Report() => new()
    {
        GeneratedAt = new DateTimeOffset(2026, 12, 1, 9, 0, 0, TimeSpan.Zero),
        Source = new ReportedPool("eu-west-1", "eu-west-1_Source", 0, 0),
        Target = new ReportedPool("eu-central-1", "eu-central-1_Target", 0, 0),
        Summary = new DriftSummary(),
        Differences = [],
        Parked = [],
    };

    private static JsonObject WebClient() => new() { ["ClientName"] = "web", ["CallbackURLs"] = new JsonArray("https://app.example.com/cb") };

    private ConfigurationApplier Applier() =>
        new(_source, _target, new InMemoryClientMappings(), new ConfigurationReplicationOptions(), new FakeTimeProvider(), NullLogger<ConfigurationApplier>.Instance);

    private ConfigurationDrift Drift() => new([Applier()]);

    /// <summary>Both pools hold the web client alike; returns the target's id.</summary>
    private async Task<string> InStepAsync()
    {
        _source.AddClient(WebClient());
        await Applier().ApplyAsync(None);
        _target.Writes.Clear();
        return Assert.Single(_target.Clients).Key;
    }
}
