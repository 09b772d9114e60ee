using Amazon.CDK;
using Amazon.CDK.AWS.Cognito;
using Constructs;
using IdentityReplicator.Core.Configuration;
using Triggers = IdentityReplicator.Core.Cognito.UserPoolTriggers;

namespace IdentityReplicator.Cdk.Constructs;

internal sealed class ReplicatedUserPoolProps
{
    public required PoolRole Role { get; init; }

    /// <summary>The Replicator function in the pool's Region (by ARN: the function is defined later, and reads this pool's id).</summary>
    public required string FunctionArn { get; init; }

    public bool CaseSensitive { get; init; }
}

/// <summary>
/// A user pool defined here with the Replicator as its triggers: sign-in by email, self sign-up, and the
/// <c>custom:primary_sub</c> attribute that carries each standby user's original <c>sub</c>. Both Regions' pools are
/// made alike, so either can be the primary. For pools that exist already, <c>idrep triggers install</c> does the
/// trigger part. The trigger ARNs are strings, not references: the function's environment names this pool, and a
/// reference both ways would be a cycle; the app stack's permission lets Cognito invoke the function.
/// </summary>
internal sealed class ReplicatedUserPool : Construct
{
    public ReplicatedUserPool(Construct scope, string id, ReplicatedUserPoolProps props)
        : base(scope, id)
    {
        Pool = new UserPool(this, "UserPool", new UserPoolProps
        {
            SignInAliases = new SignInAliases { Email = true },
            SignInCaseSensitive = props.CaseSensitive,
            SelfSignUpEnabled = true,
            AutoVerify = new AutoVerifiedAttrs { Email = true },
            StandardAttributes = new StandardAttributes { Email = new StandardAttribute { Required = true, Mutable = true } },
            CustomAttributes = new Dictionary<string, ICustomAttribute>
            {
                [ReplicationOptions.PrimarySubSchemaAttribute] = new StringAttribute(new StringAttributeProps { MinLen = 1, MaxLen = 64, Mutable = true }),
            },
            AccountRecovery = AccountRecovery.EMAIL_ONLY,
            DeletionProtection = true,
            RemovalPolicy = RemovalPolicy.RETAIN,
        });

        // The same triggers 'idrep triggers install' installs.
        var triggers = props.Role == PoolRole.Primary ? Triggers.PrimaryDefaults : Triggers.StandbyDefaults;
        string? Arn(string trigger) => triggers.Contains(trigger) ? props.FunctionArn : null;
        var config = (CfnUserPool)Pool.Node.DefaultChild!;
        config.LambdaConfig = new CfnUserPool.LambdaConfigProperty
        {
            PreSignUp = Arn("PreSignUp"),
            PostConfirmation = Arn("PostConfirmation"),
            PostAuthentication = Arn("PostAuthentication"),
            PreTokenGeneration = Arn("PreTokenGeneration"),
        };
    }

    public UserPool Pool { get; }
}
