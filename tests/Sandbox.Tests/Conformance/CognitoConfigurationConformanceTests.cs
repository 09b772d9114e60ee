using System.Runtime.CompilerServices;
using System.Text.Json.Nodes;
using IdentityReplicator.Sandbox.Emulators;
using IdentityReplicator.TestSupport;
using Microsoft.Extensions.Logging.Abstractions;

namespace IdentityReplicator.Sandbox.Tests.Conformance;

/// <summary>
/// Every configuration operation the sandbox's Cognito front serves, and the local Secrets Manager, driven by the
/// official AWS SDK for JavaScript v3: each reply must parse, carry what was sent, and hold only members of the API
/// model (the v3 model, and the aws-sdk v2 model where it has the operation) with values of the model's types.
/// </summary>
[Collection(SandboxCollection.Name)]
public sealed class CognitoConfigurationConformanceTests(SandboxFixture fixture)
{
    private static readonly string[] Files = ["package.json", "package-lock.json", "cognito-configuration.mjs"];
    private const string CustomSecret = "conformanceCustomSecret0123456789";
    private const string IdpSecret = "conformanceIdpSecret0123456789";

    /// <summary>The members of the replies checked here that the v3 model has and the aws-sdk v2 model (2.1693) lacks.</summary>
    private static readonly string[] NewerThanV2 =
    [
        "AcrConfiguration", "AcrMapping", "ClientSecretArn", "ClientType", "DcrConfiguration", "EmailMfaConfiguration", "EumsSms",
        "InboundFederation", "IssuerConfiguration", "KeyConfiguration", "ManagedBy", "ManagedLoginVersion", "RefreshTokenRotation",
        "Routing", "SecurityPolicy", "SignInPolicy", "UserPoolTier", "WebAuthnConfiguration",
    ];

    // One run of the script serves every test of the class (it takes a few seconds of a shared CPU).
    private static readonly ConditionalWeakTable<SandboxEnvironment, Task<JsonObject>> Runs = [];

    [Fact]
    public async Task JsSdk_EveryConfigurationOperation_ParsesRepliesShapedAsTheModelSays()
    {
        var reply = await RunAsync();
        var steps = reply["steps"]!.AsObject();

        string[] failing = ["DuplicateIdentityProvider", "ThirdClientSecret", "MissingSecret", "SecondManagedLoginBranding", "DuplicateTerms", "MissingResourceServer", "WrongLogLevel", "WrongRiskAction", "SecondReplica", "DeleteActiveReplica", "LiteReplica"];
        foreach (var (name, step) in steps.Where(s => !failing.Contains(s.Key)))
        {
            Assert.True(step?["error"] is null, $"{name} failed: {step?.ToJsonString()}");
        }

        Assert.Equal("DuplicateProviderException", Error(steps, "DuplicateIdentityProvider"));
        Assert.Equal("LimitExceededException", Error(steps, "ThirdClientSecret"));
        Assert.Equal("ResourceNotFoundException", Error(steps, "MissingSecret"));
        Assert.Equal("ManagedLoginBrandingExistsException", Error(steps, "SecondManagedLoginBranding"));
        Assert.Equal("TermsExistsException", Error(steps, "DuplicateTerms"));
        Assert.Equal("ResourceNotFoundException", Error(steps, "MissingResourceServer"));
        Assert.Equal("InvalidParameterException", Error(steps, "WrongLogLevel"));
        Assert.Equal("InvalidParameterException", Error(steps, "WrongRiskAction"));
        Assert.Equal("LimitExceededException", Error(steps, "SecondReplica"));
        Assert.Equal("InvalidParameterException", Error(steps, "DeleteActiveReplica"));
        Assert.Equal("FeatureUnavailableInTierException", Error(steps, "LiteReplica"));
        Assert.Empty(reply["violations"]!.AsArray().Select(v => v!.GetValue<string>()));

        // Members the aws-sdk v2 model is too old to know must be ones the v3 model added since (found by comparing them).
        var newer = reply["newerThanV2"]!.AsArray().Select(p => p!.GetValue<string>().Split('.')[^1]).Distinct().ToList();
        Assert.Contains("ClientSecretArn", newer);
        Assert.All(newer, member => Assert.Contains(member, NewerThanV2));
    }

    [Fact]
    public async Task JsSdk_ReplicaOperations_ParseAndFollowTheReplicaLifecycle()
    {
        var steps = (await RunAsync())["steps"]!.AsObject();

        Assert.Equal(("CREATING", "SECONDARY"), Replica(steps["CreateUserPoolReplica"]));
        Assert.Equal(("ACTIVE", "SECONDARY"), Replica(steps["ActivateReplica"]));
        Assert.Equal(["PRIMARY:ACTIVE", "SECONDARY:ACTIVE"], steps["ListUserPoolReplicas"]!["UserPoolReplicas"]!.AsArray().Select(r => $"{r!["Role"]}:{r["Status"]}"));
        Assert.Equal(("DELETING", "SECONDARY"), Replica(steps["DeleteUserPoolReplica"]));
        Assert.EndsWith(":function:pre-sign-up", (string?)steps["SecondaryDescribeRegional"]!["UserPool"]!["LambdaConfig"]!["PreSignUp"], StringComparison.Ordinal);
        Assert.Null(steps["SecondaryDescribeUserPool"]!["UserPool"]!["LambdaConfig"]?["PreSignUp"]);
        Assert.EndsWith(":log-group:cognito", (string?)steps["SecondaryGetLogDelivery"]!["LogDeliveryConfiguration"]!["LogConfigurations"]![0]!["CloudWatchLogsConfiguration"]!["LogGroupArn"], StringComparison.Ordinal);

        static (string?, string?) Replica(JsonNode? step) => ((string?)step?["UserPoolReplica"]?["Status"], (string?)step?["UserPoolReplica"]?["Role"]);
    }

    [Fact]
    public async Task JsSdk_ClientSettingsAndSecrets_RoundTripThroughTheFront()
    {
        var reply = await RunAsync();
        var steps = reply["steps"]!.AsObject();
        var sent = reply["settings"]!.AsObject();

        var described = steps["DescribeUserPoolClient"]!["UserPoolClient"]!.AsObject();
        foreach (var (member, value) in sent)
        {
            Assert.True(JsonNode.DeepEquals(value, described[member]), $"{member}: sent {value?.ToJsonString()}, described {described[member]?.ToJsonString()}");
        }

        Assert.Equal(steps["CreateUserPoolClient"]!["UserPoolClient"]!["ClientSecret"]!.GetValue<string>(), described["ClientSecret"]!.GetValue<string>());
        Assert.Equal(2, steps["UpdateUserPoolClient"]!["UserPoolClient"]!["CallbackURLs"]!.AsArray().Count);
        var secrets = steps["ListUserPoolClientSecrets"]!["ClientSecrets"]!.AsArray();
        Assert.Equal(2, secrets.Count);
        Assert.All(secrets, s => Assert.StartsWith(described["ClientId"]!.GetValue<string>() + "--", s!["ClientSecretId"]!.GetValue<string>(), StringComparison.Ordinal));
        Assert.All(secrets, s => Assert.Null(s!["ClientSecretValue"]));
        Assert.NotNull(steps["AddUserPoolClientSecret"]!["ClientSecretDescriptor"]!["ClientSecretValue"]);
        Assert.Null(steps["AddCustomClientSecret"]!["ClientSecretDescriptor"]!["ClientSecretValue"]);

        var published = steps["DescribePublishedClient"]!["UserPoolClient"]!.AsObject();
        Assert.Null(published["ClientSecret"]);
        Assert.Equal(published["ClientSecretArn"]!.GetValue<string>(), steps["GetSecretValue"]!["ARN"]!.GetValue<string>());
        var secretString = JsonNode.Parse(steps["GetSecretValue"]!["SecretString"]!.GetValue<string>())!;
        Assert.Equal(published["ClientId"]!.GetValue<string>(), secretString["userPoolClientId"]!.GetValue<string>());
        Assert.Equal(52, secretString["clientSecretValue"]!.GetValue<string>().Length);
        Assert.Equal("cognito-idp", steps["DescribeSecret"]!["OwningService"]!.GetValue<string>());
    }

    [Fact]
    public async Task JsSdk_PoolResourcesAndSettings_RoundTripThroughTheFront()
    {
        var reply = await RunAsync();
        var steps = reply["steps"]!.AsObject();
        var userPoolId = reply["userPoolId"]!.GetValue<string>();

        Assert.Equal(["read", "write"], steps["ListResourceServers"]!["ResourceServers"]![0]!["Scopes"]!.AsArray().Select(s => s!["ScopeName"]!.GetValue<string>()));
        Assert.Equal("name", steps["UpdateIdentityProvider"]!["IdentityProvider"]!["AttributeMapping"]!["name"]!.GetValue<string>());
        Assert.Equal(IdpSecret, steps["GetIdentityProviderByIdentifier"]!["IdentityProvider"]!["ProviderDetails"]!["client_secret"]!.GetValue<string>());
        Assert.Equal(2, steps["ListIdentityProviders"]!["Providers"]!.AsArray().Count);
        Assert.Equal(userPoolId, steps["DescribeUserPoolDomain"]!["DomainDescription"]!["UserPoolId"]!.GetValue<string>());
        Assert.Equal("ACTIVE", steps["DescribeUserPoolDomain"]!["DomainDescription"]!["Status"]!.GetValue<string>());
        Assert.Empty(steps["DescribeMissingDomain"]!["DomainDescription"]!.AsObject());
        Assert.Equal("ALL", steps["GetUICustomization"]!["UICustomization"]!["ClientId"]!.GetValue<string>());
        Assert.NotNull(steps["GetUICustomization"]!["UICustomization"]!["ImageUrl"]);
        Assert.Equal("ff0000ff", steps["UpdateManagedLoginBranding"]!["ManagedLoginBranding"]!["Settings"]!["components"]!["pageBackground"]!["lightMode"]!["color"]!.GetValue<string>());
        Assert.Single(steps["DescribeManagedLoginBranding"]!["ManagedLoginBranding"]!["Assets"]!.AsArray());
        Assert.Equal("https://app.example.com/es/terms", steps["UpdateTerms"]!["Terms"]!["Links"]!["cognito:spanish"]!.GetValue<string>());
        Assert.True(steps["GetUserPoolMfaConfig"]!["SoftwareTokenMfaConfiguration"]!["Enabled"]!.GetValue<bool>());
        Assert.Equal("identity", steps["ListTagsForResource"]!["Tags"]!["team"]!.GetValue<string>());
        Assert.Null(steps["ListTagsForResource"]!["Tags"]!["env"]);

        var pool = steps["DescribeUserPool"]!["UserPool"]!.AsObject();
        Assert.Equal(12, pool["Policies"]!["PasswordPolicy"]!["MinimumLength"]!.GetValue<int>());
        Assert.Equal("ACTIVE", pool["DeletionProtection"]!.GetValue<string>());
        Assert.Equal("OPTIONAL", pool["MfaConfiguration"]!.GetValue<string>());
        Assert.Equal($"sbx-{reply["suffix"]!.GetValue<string>()}", pool["Domain"]!.GetValue<string>());
        Assert.True(pool["DeviceConfiguration"]!["ChallengeRequiredOnNewDevice"]!.GetValue<bool>());
        Assert.StartsWith($"arn:aws:cognito-idp:{fixture.Sandbox.Primary.Region}:", pool["Arn"]!.GetValue<string>(), StringComparison.Ordinal);
        var score = steps["DescribeUserPoolAfterAttributes"]!["UserPool"]!["SchemaAttributes"]!.AsArray().Single(a => a!["Name"]!.GetValue<string>() == "custom:score")!;
        Assert.Equal("100", score["NumberAttributeConstraints"]!["MaxValue"]!.GetValue<string>());
        Assert.Null(score["StringAttributeConstraints"]);
    }

    [Fact]
    public async Task JsSdk_LogDeliveryAndRiskConfiguration_RoundTripThroughTheFront()
    {
        var reply = await RunAsync();
        var steps = reply["steps"]!.AsObject();
        var userPoolId = reply["userPoolId"]!.GetValue<string>();

        Assert.Empty(steps["GetEmptyLogDeliveryConfiguration"]!["LogDeliveryConfiguration"]!["LogConfigurations"]!.AsArray());
        var delivery = steps["GetLogDeliveryConfiguration"]!["LogDeliveryConfiguration"]!.AsObject();
        Assert.Equal(userPoolId, delivery["UserPoolId"]!.GetValue<string>());
        Assert.Equal(["userNotification", "userAuthEvents"], delivery["LogConfigurations"]!.AsArray().Select(c => c!["EventSource"]!.GetValue<string>()));
        Assert.StartsWith("arn:aws:s3:::auth-logs-", delivery["LogConfigurations"]![1]!["S3Configuration"]!["BucketArn"]!.GetValue<string>(), StringComparison.Ordinal);

        Assert.Equal("ALL", steps["DescribeEmptyRiskConfiguration"]!["RiskConfiguration"]!["ClientId"]!.GetValue<string>());
        var pool = steps["DescribeRiskConfiguration"]!["RiskConfiguration"]!.AsObject();
        Assert.Equal("BLOCK", pool["AccountTakeoverRiskConfiguration"]!["Actions"]!["HighAction"]!["EventAction"]!.GetValue<string>());
        Assert.Equal("Sign-in blocked", pool["AccountTakeoverRiskConfiguration"]!["NotifyConfiguration"]!["BlockEmail"]!["Subject"]!.GetValue<string>());
        Assert.Equal(["SIGN_IN", "PASSWORD_CHANGE"], pool["CompromisedCredentialsRiskConfiguration"]!["EventFilter"]!.AsArray().Select(f => f!.GetValue<string>()));
        Assert.NotNull(pool["LastModifiedDate"]);
        var client = steps["DescribeClientRiskConfiguration"]!["RiskConfiguration"]!.AsObject();
        Assert.Equal("192.0.2.0/24", client["RiskExceptionConfiguration"]!["BlockedIPRangeList"]![0]!.GetValue<string>());
        Assert.NotEqual("ALL", client["ClientId"]!.GetValue<string>());
        Assert.Equal("ALL", steps["DescribeClearedClientRiskConfiguration"]!["RiskConfiguration"]!["ClientId"]!.GetValue<string>());
    }

    private static string? Error(JsonObject steps, string name) => steps[name]?["error"]?.GetValue<string>();

    private Task<JsonObject> RunAsync() => Runs.GetValue(fixture.Sandbox, RunOnceAsync);

    private static async Task<JsonObject> RunOnceAsync(SandboxEnvironment sandbox)
    {
        var install = await EmulatorPackages.EnsureInstalledAsync(typeof(CognitoConfigurationConformanceTests).Assembly, "cognito-conformance", Files, NullLogger.Instance, TimeProvider.System, CancellationToken.None);
        var emulators = await EmulatorPackages.EnsureInstalledAsync(NullLogger.Instance, TimeProvider.System, CancellationToken.None);
        var suffix = Guid.NewGuid().ToString("N")[..10];
        var input = new JsonObject
        {
            ["cognito"] = sandbox.Primary.Endpoint.ToString(),
            ["secretsManager"] = sandbox.Configuration()["Sandbox:SecretsManagerEndpoint"] ?? "http://127.0.0.1:9/",
            ["region"] = sandbox.Primary.Region,
            ["standbyRegion"] = sandbox.Standby.Region,
            ["standbyCognito"] = sandbox.Standby.Endpoint.ToString(),
            ["suffix"] = suffix,
            ["customSecret"] = CustomSecret,
            ["idpSecret"] = IdpSecret,
            ["v2Model"] = Path.Combine(emulators, "node_modules", "aws-sdk", "apis", "cognito-idp-2016-04-18.min.json"),
        };
        var reply = await NodeScript.RunAsync(install, "cognito-configuration.mjs", input, TimeSpan.FromSeconds(90));
        reply["suffix"] = suffix;
        return reply;
    }
}
