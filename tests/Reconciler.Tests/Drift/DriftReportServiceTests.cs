using System.Collections.Concurrent;
using System.Collections.Immutable;
using System.Net;
using System.Text.Json.Nodes;
using IdentityReplicator.Core.Aws;
using IdentityReplicator.Core.EventBridge;
using IdentityReplicator.Reconciler.Drift;
using IdentityReplicator.Reconciler.Drift.Storage;
using Microsoft.Extensions.Logging.Testing;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;

namespace IdentityReplicator.Reconciler.Tests.Drift;

/// <summary>A scheduled drift run: the report is stored in every configured place and its summary published.</summary>
public sealed class DriftReportServiceTests
{
    private static readonly DateTimeOffset GeneratedAt = new(2025, 6, 1, 3, 0, 4, TimeSpan.Zero);

    [Fact]
    public async Task RunOnceAsync_WithAStore_StoresJsonAndHtmlNamedAfterTheReportTime()
    {
        var store = new RecordingStore();
        var service = Service(new FixedReporter(Report(differences: 2)), store);

        await service.RunOnceAsync(CancellationToken.None);

        var (generatedAt, documents) = Assert.Single(store.Saved);
        Assert.Equal(GeneratedAt, generatedAt);
        Assert.Collection(
            documents,
            json =>
            {
                Assert.Equal(("json", "application/json; charset=utf-8"), (json.Extension, json.ContentType));
                Assert.Equal(DriftReport.SchemaName, JsonNode.Parse(json.Content)!["schema"]!.GetValue<string>());
            },
            html =>
            {
                Assert.Equal(("html", "text/html; charset=utf-8"), (html.Extension, html.ContentType));
                Assert.StartsWith("<!DOCTYPE html>", html.Content, StringComparison.OrdinalIgnoreCase);
            });
    }

    [Fact]
    public async Task RunOnceAsync_RepairConfigured_AsksTheReporterToRepairWithoutValues()
    {
        var reporter = new FixedReporter(Report(differences: 0));
        var service = Service(reporter, new RecordingStore(), new DriftOptions { Repair = true, PublishEvents = false });

        await service.RunOnceAsync(CancellationToken.None);

        Assert.Equal(new DriftRequest(ShowValues: false, Repair: true), Assert.Single(reporter.Requests));
    }

    [Fact]
    public async Task RunOnceAsync_StoreFails_Throws()
    {
        var service = Service(new FixedReporter(Report(differences: 0)), new FailingStore());

        await Assert.ThrowsAsync<ReportStoreException>(() => service.RunOnceAsync(CancellationToken.None));
    }

    [Fact]
    public async Task RunOnceAsync_PublishEvents_SendsTheSummaryToTheBus()
    {
        var bus = new BusHandler();
        var service = Service(new FixedReporter(Report(differences: 3)), new RecordingStore(), new DriftOptions { PublishEvents = true }, bus);

        await service.RunOnceAsync(CancellationToken.None);

        var entry = Assert.Single(Assert.Single(bus.Requests)["Entries"]!.AsArray())!;
        Assert.Equal(DriftEvents.DetailType, entry["DetailType"]!.GetValue<string>());
        Assert.Equal(3, JsonNode.Parse(entry["Detail"]!.GetValue<string>())!["summary"]!["differences"]!.GetValue<int>());
    }

    [Fact]
    public async Task RunOnceAsync_BusUnreachable_WarnsWithTheExceptionAndTheReportStands()
    {
        var logger = new FakeLogger<DriftReportService>();
        var service = Service(new FixedReporter(Report(differences: 1)), new RecordingStore(), new DriftOptions { PublishEvents = true }, new UnreachableBus(), logger);

        await service.RunOnceAsync(CancellationToken.None);

        var warning = Assert.Single(logger.Collector.GetSnapshot(), r => r.Id.Id == 2015);
        Assert.Equal(Microsoft.Extensions.Logging.LogLevel.Warning, warning.Level);
        var exception = Assert.IsType<HttpRequestException>(warning.Exception);
        Assert.NotNull(exception.StackTrace);
    }

    [Fact]
    public async Task Create_DirectoryConfigured_WritesIntoIt()
    {
        var folder = Directory.CreateTempSubdirectory("idrep-drift-").FullName;
        try
        {
            using var stores = ReportStoreFactory.Create(new DriftOptions { OutputDirectory = folder }, "us-west-2", () => throw new InvalidOperationException("no credentials needed for a folder"));

            var written = await stores.SaveAsync(GeneratedAt, [new ReportDocument("json", "application/json", "{}")], CancellationToken.None);

            Assert.Equal(Path.Combine(folder, "drift-20250601-030004.json"), Assert.Single(written));
            Assert.Equal("{}", await File.ReadAllTextAsync(written[0]));
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    internal static DriftReport Report(int differences, int? remainingAfterRepair = null) => new()
    {
        GeneratedAt = GeneratedAt,
        Source = new ReportedPool("us-east-1", "us-east-1_Primary1", 10, 2),
        Target = new ReportedPool("us-west-2", "us-west-2_Standby1", 10, 2),
        Summary = new DriftSummary { Differences = differences, UsersCompared = 10, UsersMissing = differences },
        Differences = [.. Enumerable.Range(0, differences).Select(i => new DriftItem { Kind = DriftKind.UserMissing, Username = $"user{i}", Sub = $"sub-{i}" })],
        Parked = [],
        Repair = remainingAfterRepair is { } remaining ? new RepairOutcome(differences, differences - remaining, 0, remaining) : null,
    };

    internal static DriftReportService Service(IDriftReporter reporter, IReportStore store, DriftOptions? options = null, HttpMessageHandler? bus = null, FakeLogger<DriftReportService>? logger = null)
    {
        var endpoint = new AwsEndpoint("us-west-2", new Uri("http://127.0.0.1:9/"));
        var events = new DriftEvents(new EventBridgeClient(new HttpClient(bus ?? new BusHandler()), endpoint), "default");
        return new DriftReportService(reporter, events, store, Options.Create(options ?? new DriftOptions { PublishEvents = false }), new FakeTimeProvider(GeneratedAt), logger ?? new FakeLogger<DriftReportService>());
    }

    internal sealed class FixedReporter(DriftReport report) : IDriftReporter
    {
        public ConcurrentQueue<DriftRequest> Requests { get; } = new();

        public Task<DriftReport> RunAsync(DriftRequest request, CancellationToken cancellationToken)
        {
            Requests.Enqueue(request);
            return Task.FromResult(report);
        }
    }

    internal sealed class FailingReporter : IDriftReporter
    {
        public Task<DriftReport> RunAsync(DriftRequest request, CancellationToken cancellationToken) =>
            throw new HttpRequestException("the pool could not be read", null, HttpStatusCode.ServiceUnavailable);
    }

    internal sealed class RecordingStore : IReportStore
    {
        public ConcurrentQueue<(DateTimeOffset GeneratedAt, ImmutableArray<ReportDocument> Documents)> Saved { get; } = new();

        public Task<IReadOnlyList<string>> SaveAsync(DateTimeOffset generatedAt, IReadOnlyList<ReportDocument> documents, CancellationToken cancellationToken)
        {
            Saved.Enqueue((generatedAt, [.. documents]));
            return Task.FromResult<IReadOnlyList<string>>([.. documents.Select(d => $"memory://{ReportNames.Stem(generatedAt)}.{d.Extension}")]);
        }
    }

    internal sealed class FailingStore : IReportStore
    {
        public Task<IReadOnlyList<string>> SaveAsync(DateTimeOffset generatedAt, IReadOnlyList<ReportDocument> documents, CancellationToken cancellationToken) =>
            throw new ReportStoreException("the bucket is gone");
    }

    /// <summary>An event bus nothing answers for.</summary>
    internal sealed class UnreachableBus : HttpMessageHandler
    {
        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken) =>
            throw new HttpRequestException(HttpRequestError.ConnectionError, "Connection refused (127.0.0.1:9)");
    }

    /// <summary>Answers PutEvents like EventBridge and keeps each request body.</summary>
    internal sealed class BusHandler : HttpMessageHandler
    {
        public ConcurrentQueue<JsonNode> Requests { get; } = new();

        protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            Requests.Enqueue(JsonNode.Parse(await request.Content!.ReadAsStringAsync(cancellationToken))!);
            return new HttpResponseMessage(HttpStatusCode.OK)
            {
                Content = new StringContent("""{"FailedEntryCount":0,"Entries":[{"EventId":"1"}]}"""),
            };
        }
    }
}
