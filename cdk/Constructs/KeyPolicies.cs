using Amazon.CDK.AWS.IAM;

namespace IdentityReplicator.Cdk.Constructs;

internal static class KeyPolicies
{
    /// <summary>
    /// The account administers and uses the key through IAM policies (AWS's default key policy), with the actions
    /// spelled out instead of <c>kms:*</c>. In a key policy the resource <c>*</c> means this key and nothing else.
    /// DynamoDB creates its grants on the key as the principal that creates the table (CloudFormation's role).
    /// </summary>
    public static PolicyDocument AccountAdministered() => new(new PolicyDocumentProps
    {
        Statements =
        [
            new PolicyStatement(new PolicyStatementProps
            {
                Sid = "AccountAdministersAndUsesTheKeyThroughIam",
                Principals = [new AccountRootPrincipal()],
                Actions =
                [
                    "kms:CancelKeyDeletion", "kms:CreateAlias", "kms:CreateGrant", "kms:Decrypt", "kms:DeleteAlias",
                    "kms:DescribeKey", "kms:DisableKey", "kms:DisableKeyRotation", "kms:EnableKey", "kms:EnableKeyRotation",
                    "kms:Encrypt", "kms:GenerateDataKey", "kms:GenerateDataKeyWithoutPlaintext", "kms:GetKeyPolicy",
                    "kms:GetKeyRotationStatus", "kms:ListGrants", "kms:ListKeyPolicies", "kms:ListResourceTags",
                    "kms:PutKeyPolicy", "kms:ReEncryptFrom", "kms:ReEncryptTo", "kms:RetireGrant", "kms:RevokeGrant",
                    "kms:RotateKeyOnDemand", "kms:ScheduleKeyDeletion", "kms:TagResource", "kms:UntagResource",
                    "kms:UpdateAlias", "kms:UpdateKeyDescription",
                ],
                // A key policy's resource '*' is the key itself.
                Resources = ["*"],
            }),
        ],
    });
}
