using System.Net;
using Amazon.KeyManagementService.Model;
using IdentityReplicator.Core.Aws;
using IdentityReplicator.Core.CloudWatch;
using IdentityReplicator.Core.Kms;
using IdentityReplicator.Core.SecretsManager;
using IdentityReplicator.Core.Tests.Aws;
using Microsoft.Extensions.Time.Testing;

namespace IdentityReplicator.Core.Tests.Capacity;

/// <summary>The reads replicated-store checks make: DescribeSecret, S3 replication metrics through CloudWatch, KMS DescribeKey.</summary>
public sealed class ReplicatedStoreClientTests
{
    [Fact]
    public async Task DescribeSecretAsync_Replicas_ReadsEachRegionsStatus()
    {
        // Arrange
        var capture = new CapturingHandler(() => CapturingHandler.Json("""{"ARN":"arn:s","Name":"db","PrimaryRegion":"eu-west-1","ReplicationStatus":[{"Region":"us-west-2","KmsKeyId":"alias/aws/secretsmanager","Status":"InSync","StatusMessage":"Replication succeeded"},{"Region":"ap-south-1","Status":"Failed"}]}"""));
        var client = new SecretsManagerClient(new HttpClient(capture), new AwsEndpoint("eu-west-1"));

        // Act
        var response = await client.DescribeSecretAsync(new DescribeSecretRequest("db"));

        // Assert
        var sent = Assert.Single(capture.Requests);
        Assert.Equal("secretsmanager.DescribeSecret", sent.Header("X-Amz-Target"));
        Assert.Equal("db", sent.Json().GetProperty("SecretId").GetString());
        Assert.Equal("eu-west-1", response.PrimaryRegion);
        Assert.Equal([("us-west-2", "InSync"), ("ap-south-1", "Failed")], response.ReplicationStatus.Select(r => (r.Region!, r.Status!)));
    }

    [Fact]
    public async Task ReadAsync_MetricsPresent_AsksForTheRulesDimensionsAndTakesTheLatestMaximum()
    {
        // Arrange
        var capture = new CapturingHandler((request, _) =>
        {
            var metric = request.Json().GetProperty("MetricName").GetString();
            return CapturingHandler.Json(metric == "ReplicationLatency"
                ? """{"Datapoints":[{"Timestamp":1760000000,"Maximum":90},{"Timestamp":1760000060,"Maximum":12}]}"""
                : """{"Datapoints":[{"Timestamp":1760000060,"Maximum":3}]}""");
        });
        var time = new FakeTimeProvider(DateTimeOffset.FromUnixTimeSeconds(1760000100));
        var metrics = new S3ReplicationMetrics(new CloudWatchClient(new HttpClient(capture), new AwsEndpoint("eu-west-1")), time);

        // Act
        var lag = await metrics.ReadAsync("assets-eu", "assets-us", "all", TimeSpan.FromMinutes(15));

        // Assert
        Assert.Equal((12d, 3d), (lag.LatencySeconds, lag.OperationsPending));
        var first = capture.Requests[0].Json();
        Assert.Equal("AWS/S3", first.GetProperty("Namespace").GetString());
        Assert.Equal(
            ["SourceBucket=assets-eu", "DestinationBucket=assets-us", "RuleId=all"],
            first.GetProperty("Dimensions").EnumerateArray().Select(d => $"{d.GetProperty("Name").GetString()}={d.GetProperty("Value").GetString()}"));
        Assert.Equal(1760000100 - 900, first.GetProperty("StartTime").GetInt64());
    }

    [Fact]
    public async Task ReadAsync_NoDatapoints_LagIsUnknown()
    {
        // Arrange
        var capture = new CapturingHandler(() => CapturingHandler.Json("""{"Datapoints":[]}"""));
        var metrics = new S3ReplicationMetrics(new CloudWatchClient(new HttpClient(capture), new AwsEndpoint("eu-west-1")), TimeProvider.System);

        // Act
        var lag = await metrics.ReadAsync("a", "b", "r", TimeSpan.FromMinutes(15));

        // Assert
        Assert.False(lag.IsKnown);
    }

    [Fact]
    public async Task Create_ServiceUrl_SendsDescribeKeyThereSignedForTheRegion()
    {
        // Arrange
        using var server = new HttpListenerStub("""{"KeyMetadata":{"KeyId":"mrk-1","MultiRegion":true,"MultiRegionConfiguration":{"MultiRegionKeyType":"PRIMARY","PrimaryKey":{"Arn":"arn:aws:kms:eu-west-1:1:key/mrk-1","Region":"eu-west-1"},"ReplicaKeys":[{"Arn":"arn:aws:kms:us-west-2:1:key/mrk-1","Region":"us-west-2"}]}}}""");
        using var kms = KmsClients.Create(new AwsEndpoint("eu-west-1", server.Url), new Amazon.Runtime.BasicAWSCredentials("AKIDEXAMPLE", "secret"));

        // Act
        var response = await kms.DescribeKeyAsync(new DescribeKeyRequest { KeyId = "mrk-1" });

        // Assert
        Assert.Equal("TrentService.DescribeKey", server.Target);
        Assert.Contains("/eu-west-1/kms/", server.Authorization, StringComparison.Ordinal);
        Assert.Equal("us-west-2", Assert.Single(response.KeyMetadata.MultiRegionConfiguration.ReplicaKeys).Region);
    }

    /// <summary>One JSON answer on a free 127.0.0.1 port, recording the target and signature of the request.</summary>
    private sealed class HttpListenerStub : IDisposable
    {
        private readonly HttpListener _listener = new();
        private readonly Task _serving;

        public HttpListenerStub(string json)
        {
            var probe = new System.Net.Sockets.TcpListener(IPAddress.Loopback, 0);
            probe.Start();
            var port = ((IPEndPoint)probe.LocalEndpoint).Port;
            probe.Stop();
            Url = new Uri($"http://127.0.0.1:{port}/");
            _listener.Prefixes.Add(Url.ToString());
            _listener.Start();
            _serving = Task.Run(async () =>
            {
                var context = await _listener.GetContextAsync();
                Target = context.Request.Headers["X-Amz-Target"];
                Authorization = context.Request.Headers["Authorization"] ?? string.Empty;
                var bytes = System.Text.Encoding.UTF8.GetBytes(json);
                context.Response.ContentType = "application/x-amz-json-1.1";
                await context.Response.OutputStream.WriteAsync(bytes);
                context.Response.Close();
            });
        }

        public Uri Url { get; }

        public string? Target { get; private set; }

        public string Authorization { get; private set; } = string.Empty;

        public void Dispose()
        {
            _listener.Close();
            _ = _serving;
        }
    }
}
