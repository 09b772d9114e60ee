using Amazon.CDK;
using Amazon.CDK.AWS.S3;
using Constructs;

namespace IdentityReplicator.Cdk.Constructs;

/// <summary>The bucket drift reports are written to (JSON and HTML per run), private, expiring after <c>reportRetentionDays</c>.</summary>
internal sealed class DriftReports : Construct
{
    public const string Prefix = "drift-reports/";

    public DriftReports(Construct scope, string id, int retentionDays)
        : base(scope, id)
    {
        Bucket = new Bucket(this, "Bucket", new BucketProps
        {
            BlockPublicAccess = BlockPublicAccess.BLOCK_ALL,
            ObjectOwnership = ObjectOwnership.BUCKET_OWNER_ENFORCED,
            Encryption = BucketEncryption.S3_MANAGED,
            RemovalPolicy = RemovalPolicy.RETAIN,
            LifecycleRules =
            [
                new LifecycleRule
                {
                    Id = "expire-reports",
                    Prefix = Prefix,
                    Expiration = Duration.Days(retentionDays),
                    AbortIncompleteMultipartUploadAfter = Duration.Days(1),
                },
            ],
        });
        Bucket.AddToResourcePolicy(Permissions.DenyWithoutTls(
            "ReportsOnlyOverTls",
            ["s3:GetObject", "s3:GetObjectVersion", "s3:PutObject", "s3:DeleteObject", "s3:DeleteObjectVersion", "s3:ListBucket", "s3:ListBucketVersions"],
            [Bucket.BucketArn, Bucket.ArnForObjects("*")]));
    }

    public Bucket Bucket { get; }
}
