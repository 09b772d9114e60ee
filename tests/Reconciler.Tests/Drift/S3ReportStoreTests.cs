using System.Net;
using Amazon.S3;
using Amazon.S3.Model;
using IdentityReplicator.Reconciler.Drift.Storage;
using NSubstitute;
using NSubstitute.ExceptionExtensions;

namespace IdentityReplicator.Reconciler.Tests.Drift;

/// <summary>The S3 report store's keys and requests (the S3 wire itself is tested against a local S3 in Integration.Tests).</summary>
public sealed class S3ReportStoreTests
{
    private static readonly DateTimeOffset GeneratedAt = new(2025, 6, 1, 3, 0, 4, TimeSpan.FromHours(2));

    [Fact]
    public async Task SaveAsync_TwoDocuments_PutsEachUnderTheDayFolderWithItsContentType()
    {
        var s3 = Substitute.For<IAmazonS3>();
        var puts = new List<(string Bucket, string Key, string ContentType, string Body, ServerSideEncryptionMethod? Encryption)>();
        s3.PutObjectAsync(Arg.Any<PutObjectRequest>(), Arg.Any<CancellationToken>()).Returns(call =>
        {
            var request = call.Arg<PutObjectRequest>();
            puts.Add((request.BucketName, request.Key, request.ContentType, new StreamReader(request.InputStream).ReadToEnd(), request.ServerSideEncryptionMethod));
            return new PutObjectResponse();
        });
        using var store = new S3ReportStore(s3, "reports", "drift-reports/");

        var written = await store.SaveAsync(GeneratedAt, [new("json", "application/json; charset=utf-8", "{\"é\":1}"), new("html", "text/html; charset=utf-8", "<!DOCTYPE html>")], CancellationToken.None);

        // 03:00:04 at UTC+2 is 01:00:04 UTC: keys are in UTC.
        Assert.Equal(["s3://reports/drift-reports/2025/06/01/drift-20250601-010004.json", "s3://reports/drift-reports/2025/06/01/drift-20250601-010004.html"], written);
        Assert.Equal(("reports", "drift-reports/2025/06/01/drift-20250601-010004.json", "application/json; charset=utf-8", "{\"é\":1}"), (puts[0].Bucket, puts[0].Key, puts[0].ContentType, puts[0].Body));
        Assert.Equal(("drift-reports/2025/06/01/drift-20250601-010004.html", "text/html; charset=utf-8"), (puts[1].Key, puts[1].ContentType));
        Assert.All(puts, p => Assert.Null(p.Encryption));
    }

    [Theory]
    [InlineData("NoSuchBucket", HttpStatusCode.NotFound, "does not exist; create it, or correct Drift:OutputBucket")]
    [InlineData("AccessDenied", HttpStatusCode.Forbidden, "s3:PutObject on arn:aws:s3:::reports/drift-reports/*")]
    [InlineData("PermanentRedirect", HttpStatusCode.MovedPermanently, "set Drift:OutputBucketRegion")]
    public async Task SaveAsync_S3Refuses_ThrowsWithWhatToDo(string code, HttpStatusCode status, string advice)
    {
        var s3 = Substitute.For<IAmazonS3>();
        s3.PutObjectAsync(Arg.Any<PutObjectRequest>(), Arg.Any<CancellationToken>())
            .ThrowsAsync(new AmazonS3Exception("refused") { ErrorCode = code, StatusCode = status });
        using var store = new S3ReportStore(s3, "reports", "drift-reports/");

        var error = await Assert.ThrowsAsync<ReportStoreException>(() => store.SaveAsync(GeneratedAt, [new("json", "application/json", "{}")], CancellationToken.None));

        Assert.Contains(advice, error.Message, StringComparison.Ordinal);
        Assert.IsType<AmazonS3Exception>(error.InnerException);
    }
}
