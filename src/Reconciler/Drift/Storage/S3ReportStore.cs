using System.Net;
using System.Text;
using Amazon;
using Amazon.Runtime;
using Amazon.S3;
using Amazon.S3.Model;

namespace IdentityReplicator.Reconciler.Drift.Storage;

/// <summary>
/// Writes each report into an S3 bucket as <c>&lt;prefix&gt;yyyy/MM/dd/drift-yyyyMMdd-HHmmss.&lt;extension&gt;</c>
/// (<c>Drift:OutputBucket</c>, <c>Drift:OutputPrefix</c>). Server-side encryption is left to the bucket's default.
/// </summary>
internal sealed class S3ReportStore : IReportStore, IDisposable
{
    private readonly IAmazonS3 _s3;
    private readonly bool _ownsClient;

    public S3ReportStore(IAmazonS3 s3, string bucket, string keyPrefix, bool ownsClient = false)
    {
        _s3 = s3;
        Bucket = bucket;
        KeyPrefix = keyPrefix;
        _ownsClient = ownsClient;
    }

    public string Bucket { get; }

    public string KeyPrefix { get; }

    /// <summary>An S3 client with the tool's credentials, for <paramref name="region"/> or the <paramref name="serviceUrl"/> override.</summary>
    public static AmazonS3Client CreateClient(AWSCredentials credentials, string region, string? serviceUrl)
    {
        var config = new AmazonS3Config
        {
            RetryMode = RequestRetryMode.Standard,
            MaxErrorRetry = 4,
            Timeout = TimeSpan.FromSeconds(30),
        };
        if (string.IsNullOrEmpty(serviceUrl))
        {
            config.RegionEndpoint = RegionEndpoint.GetBySystemName(region);
        }
        else
        {
            // A local S3 (the sandbox) or a VPC endpoint: no bucket subdomains there.
            config.ServiceURL = serviceUrl;
            config.AuthenticationRegion = region;
            config.ForcePathStyle = true;
        }

        return new AmazonS3Client(credentials, config);
    }

    /// <summary>The key a document of a report gets.</summary>
    public string KeyFor(DateTimeOffset generatedAt, string extension) =>
        $"{KeyPrefix}{ReportNames.DayFolder(generatedAt)}{ReportNames.Stem(generatedAt)}.{extension}";

    public async Task<IReadOnlyList<string>> SaveAsync(DateTimeOffset generatedAt, IReadOnlyList<ReportDocument> documents, CancellationToken cancellationToken)
    {
        var written = new List<string>(documents.Count);
        foreach (var document in documents)
        {
            var key = KeyFor(generatedAt, document.Extension);
            try
            {
                using var body = new MemoryStream(Encoding.UTF8.GetBytes(document.Content), writable: false);
                await _s3.PutObjectAsync(
                    new PutObjectRequest
                    {
                        BucketName = Bucket,
                        Key = key,
                        InputStream = body,
                        ContentType = document.ContentType,
                        // Reports are small and already in memory: one signed body, no aws-chunked framing.
                        UseChunkEncoding = false,
                        AutoCloseStream = false,
                    },
                    cancellationToken);
            }
            catch (AmazonS3Exception e)
            {
                throw new ReportStoreException(Advice(e, key), e);
            }
            catch (AmazonClientException e)
            {
                throw new ReportStoreException($"Could not reach S3 to write s3://{Bucket}/{key} (Drift:OutputBucket): {e.Message}. Check the network path to S3 (a VPC endpoint or NAT) and Drift:S3ServiceUrl.", e);
            }

            written.Add($"s3://{Bucket}/{key}");
        }

        return written;
    }

    public void Dispose()
    {
        if (_ownsClient)
        {
            _s3.Dispose();
        }
    }

    private string Advice(AmazonS3Exception e, string key) => e.ErrorCode switch
    {
        "NoSuchBucket" => $"S3 bucket '{Bucket}' (Drift:OutputBucket) does not exist; create it, or correct Drift:OutputBucket.",
        "AccessDenied" or "AllAccessDisabled" => $"S3 refused to store s3://{Bucket}/{key} (AccessDenied); grant this task's role s3:PutObject on arn:aws:s3:::{Bucket}/{KeyPrefix}* (and kms:GenerateDataKey if the bucket encrypts with a KMS key).",
        "PermanentRedirect" or "AuthorizationHeaderMalformed" or "IllegalLocationConstraintException" => $"S3 bucket '{Bucket}' is in another Region than the client's; set Drift:OutputBucketRegion to the bucket's Region.",
        _ when e.StatusCode == HttpStatusCode.MovedPermanently => $"S3 bucket '{Bucket}' is in another Region than the client's; set Drift:OutputBucketRegion to the bucket's Region.",
        _ => $"S3 refused to store s3://{Bucket}/{key}: {e.ErrorCode} ({(int)e.StatusCode}) {e.Message}",
    };
}
