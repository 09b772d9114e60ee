using System.Net.Http.Headers;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using IdentityReplicator.Core.Cognito;
using IdentityReplicator.TestSupport;

namespace IdentityReplicator.Integration.Tests.Drift;

/// <summary>
/// <c>idrep users recovery-plan</c> on the sandbox: a population of each kind the emulator can hold (verified email,
/// unverified email, TOTP enrolled through AssociateSoftwareToken and VerifySoftwareToken, UNCONFIRMED, disabled) in a
/// fresh source pool, and a fresh target pool with an identity provider. Runs on two new pools of the shared sandbox's
/// emulators (given as <c>IDREP_</c> variables), so the sandbox's own pools are left alone. cognito-local cannot hold a
/// federated (EXTERNAL_PROVIDER) user, so "sign in at once" and a provider the target lacks are covered by the unit tests
/// (RecoveryPlanTests, through the drift reporter as well). <c>idrep drift</c> on the same pools counts the same in every format.
/// </summary>
[Collection(SandboxCollection.Name)]
public sealed class RecoveryPlanCommandTests(SandboxFixture fixture)
{
    private static readonly CancellationToken None = CancellationToken.None;

    [Fact]
    public async Task RecoveryPlan_SeededPopulation_CountsMatchCsvIsRightAndNoPersonalDataWithoutShowValues()
    {
        // Arrange
        var sandbox = fixture.Sandbox;
        var (primary, standby) = (sandbox.Client(sandbox.Primary), sandbox.Client(sandbox.Standby));
        var sourcePool = (await primary.CreateUserPoolAsync(new CreateUserPoolRequest("recovery-" + Guid.NewGuid().ToString("N")[..8]), None)).UserPool!.Id!;
        var targetPool = (await standby.CreateUserPoolAsync(new CreateUserPoolRequest("recovery-" + Guid.NewGuid().ToString("N")[..8]), None)).UserPool!.Id!;
        await primary.SetUserPoolMfaConfigRawAsync(new JsonObject { ["UserPoolId"] = sourcePool, ["MfaConfiguration"] = "OPTIONAL", ["SoftwareTokenMfaConfiguration"] = new JsonObject { ["Enabled"] = true } }, None);
        await standby.CreateIdentityProviderRawAsync(new JsonObject
        {
            ["UserPoolId"] = targetPool,
            ["ProviderName"] = "Google",
            ["ProviderType"] = "Google",
            ["ProviderDetails"] = new JsonObject { ["client_id"] = "google-client", ["client_secret"] = "google-secret", ["authorize_scopes"] = "openid email" },
        }, None);
        var client = (string)(await primary.CreateUserPoolClientRawAsync(new JsonObject
        {
            ["UserPoolId"] = sourcePool,
            ["ClientName"] = "app",
            ["ExplicitAuthFlows"] = new JsonArray("ALLOW_USER_PASSWORD_AUTH", "ALLOW_REFRESH_TOKEN_AUTH"),
        }, None))["ClientId"]!;

        await CreateAsync(primary, sourcePool, "ann@example.com", verified: true);
        await CreateAsync(primary, sourcePool, "bob@example.com", verified: true);
        await CreateAsync(primary, sourcePool, "dee@example.com", verified: false);
        await CreateAsync(primary, sourcePool, "tom@example.com", verified: true);
        await EnrolTotpAsync(primary, sandbox.Primary.Endpoint, client, "tom@example.com");
        await primary.SignUpAsync(new SignUpRequest(client, "fay@example.com", "Permanent-Passw0rd!") { UserAttributes = [new AttributeType("email", "fay@example.com")] }, None);
        var gus = await CreateAsync(primary, sourcePool, "gus@example.com", verified: true);
        await primary.AdminDisableUserAsync(new AdminDisableUserRequest(sourcePool, gus), None);
        var environment = new Dictionary<string, string>
        {
            ["IDREP_Replication__Primary__UserPoolId"] = sourcePool,
            ["IDREP_Replication__Standby__UserPoolId"] = targetPool,
        };
        var file = Path.Combine(Directory.CreateTempSubdirectory("idrep-recovery-").FullName, "plan.csv");

        // Act
        var (jsonExit, json) = await IdrepProcess.RunAsync(TimeSpan.FromSeconds(120), environment, "users", "recovery-plan", "--config", sandbox.ConfigFile, "-o", "json");
        var (csvExit, csv) = await IdrepProcess.RunAsync(TimeSpan.FromSeconds(120), environment, "users", "recovery-plan", "--config", sandbox.ConfigFile, "-o", "csv");
        var (shownExit, shown) = await IdrepProcess.RunAsync(TimeSpan.FromSeconds(120), environment, "users", "recovery-plan", "--config", sandbox.ConfigFile, "-o", "csv", "--show-values", "--output-file", file);

        // Assert: the counts, what was checked, and personal data only with --show-values.
        Assert.True(jsonExit == 0, $"exit {jsonExit}: {json}");
        var plan = JsonNode.Parse(json[json.IndexOf('{', StringComparison.Ordinal)..])!;
        var r = plan["recoverability"]!;
        Assert.Equal(
            (0, 2, 1, 1, 1, 1),
            ((int)r["signInAtOnce"]!, (int)r["forgotPassword"]!, (int)r["reEnrolTotp"]!, (int)r["needsAdministrator"]!, (int)r["notReplicated"]!, (int)r["disabled"]!));
        Assert.True((bool)r["providersChecked"]!);
        Assert.True((bool)r["totpChecked"]!);
        Assert.Equal((sourcePool, targetPool), ((string?)plan["sourcePoolId"], (string?)plan["targetPoolId"]));
        Assert.DoesNotContain("@example.com", json, StringComparison.Ordinal);

        Assert.True(csvExit == 0, $"exit {csvExit}: {csv}");
        // The process's output arrives line by line (its CRLF line ends folded); the file below keeps them.
        var rows = csv.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).SkipWhile(l => !l.StartsWith("kind,", StringComparison.Ordinal)).ToArray();
        Assert.Equal("kind,action,keyHash", rows[0]);
        Assert.Equal(5, rows.Length - 1);
        Assert.All(rows.Skip(1), row => Assert.Matches("^(forgotPassword|reEnrolTotp|needsAdministrator|notReplicated),[a-z-]+,[0-9a-f]{10}$", row));
        Assert.DoesNotContain("@example.com", csv, StringComparison.Ordinal);

        Assert.True(shownExit == 0, $"exit {shownExit}: {shown}");
        var written = await File.ReadAllTextAsync(file, None);
        Assert.StartsWith("kind,action,keyHash,username,email,phoneNumber\r\n", written, StringComparison.Ordinal);
        Assert.Contains(",tom@example.com,", written, StringComparison.Ordinal);
        Assert.Contains("reEnrolTotp,reset-and-re-enrol-totp,", written, StringComparison.Ordinal);
        Assert.DoesNotContain("gus@example.com", written, StringComparison.Ordinal);

        // The drift report's recoverability block counts the same population, with the same facts read, in every format.
        var reports = Path.GetDirectoryName(file)!;
        foreach (var format in new[] { "json", "md", "html", "text" })
        {
            var (driftExit, driftOutput) = await IdrepProcess.RunAsync(
                TimeSpan.FromSeconds(120), environment, "drift", "--config", sandbox.ConfigFile, "-o", format, "--out", Path.Combine(reports, "drift." + format), "--fail-on", "1000");
            Assert.True(driftExit == 0, $"drift -o {format}: exit {driftExit}: {driftOutput}");
        }

        var drift = JsonNode.Parse(await File.ReadAllTextAsync(Path.Combine(reports, "drift.json"), None))!["recoverability"]!;
        Assert.Equal(
            (0, 2, 1, 1, 1, 1, true, true),
            ((int)drift["signInAtOnce"]!, (int)drift["forgotPassword"]!, (int)drift["reEnrolTotp"]!, (int)drift["needsAdministrator"]!, (int)drift["notReplicated"]!, (int)drift["disabled"]!,
                (bool)drift["providersChecked"]!, (bool)drift["totpChecked"]!));
        var md = await File.ReadAllTextAsync(Path.Combine(reports, "drift.md"), None);
        Assert.Contains("| re-enrol TOTP | 1 |", md, StringComparison.Ordinal);
        Assert.Contains("| forgot password (verified email or phone) | 2 |", md, StringComparison.Ordinal);
        var html = await File.ReadAllTextAsync(Path.Combine(reports, "drift.html"), None);
        Assert.Contains("data-kind=\"reEnrolTotp\"", html, StringComparison.Ordinal);
        var text = await File.ReadAllTextAsync(Path.Combine(reports, "drift.text"), None);
        Assert.Contains("re-enrol TOTP                                1", text, StringComparison.Ordinal);
        foreach (var rendered in new[] { md, html, text })
        {
            Assert.DoesNotContain("TOTP enrolment not read", rendered, StringComparison.Ordinal);
            Assert.DoesNotContain("assume their provider is configured", rendered, StringComparison.Ordinal);
        }
    }

    private static async Task<string> CreateAsync(CognitoIdentityProviderClient client, string pool, string email, bool verified)
    {
        var created = await client.AdminCreateUserAsync(
            new AdminCreateUserRequest
            {
                UserPoolId = pool,
                Username = email,
                MessageAction = "SUPPRESS",
                TemporaryPassword = "Temporary-Passw0rd!",
                UserAttributes = [new AttributeType("email", email), new AttributeType("email_verified", verified ? "true" : "false")],
            },
            None);
        var username = created.User!.Username!;
        await client.AdminSetUserPasswordAsync(new AdminSetUserPasswordRequest(pool, username, "Permanent-Passw0rd!", Permanent: true), None);
        return username;
    }

    /// <summary>TOTP enrolment as a user does it: sign in, AssociateSoftwareToken, then VerifySoftwareToken with a code from the secret.</summary>
    private static async Task EnrolTotpAsync(CognitoIdentityProviderClient client, Uri endpoint, string clientId, string email)
    {
        var signIn = await client.InitiateAuthAsync(
            new InitiateAuthRequest("USER_PASSWORD_AUTH", clientId) { AuthParameters = new Dictionary<string, string> { ["USERNAME"] = email, ["PASSWORD"] = "Permanent-Passw0rd!" } },
            None);
        var accessToken = signIn.AuthenticationResult!.AccessToken!;
        using var http = new HttpClient();
        var secret = (string)(await CallAsync(http, endpoint, "AssociateSoftwareToken", new JsonObject { ["AccessToken"] = accessToken }))["SecretCode"]!;
        var verified = await CallAsync(http, endpoint, "VerifySoftwareToken", new JsonObject { ["AccessToken"] = accessToken, ["UserCode"] = Totp(secret), ["FriendlyDeviceName"] = "phone" });
        Assert.Equal("SUCCESS", (string?)verified["Status"]);
    }

    private static async Task<JsonObject> CallAsync(HttpClient http, Uri endpoint, string operation, JsonObject body)
    {
        using var content = new StringContent(body.ToJsonString(), Encoding.UTF8);
        content.Headers.ContentType = new MediaTypeHeaderValue("application/x-amz-json-1.1");
        using var request = new HttpRequestMessage(HttpMethod.Post, endpoint) { Content = content };
        request.Headers.Add("X-Amz-Target", "AWSCognitoIdentityProviderService." + operation);
        using var response = await http.SendAsync(request, None);
        var text = await response.Content.ReadAsStringAsync(None);
        Assert.True(response.IsSuccessStatusCode, $"{operation}: {(int)response.StatusCode} {text}");
        return JsonNode.Parse(text)!.AsObject();
    }

    /// <summary>RFC 6238: HMAC-SHA1 over the 30-second step, six digits, from the base32 secret.</summary>
    private static string Totp(string base32)
    {
        const string alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";
        var bits = string.Concat(base32.TrimEnd('=').ToUpperInvariant().Select(c => Convert.ToString(alphabet.IndexOf(c, StringComparison.Ordinal), 2).PadLeft(5, '0')));
        var key = Enumerable.Range(0, bits.Length / 8).Select(i => Convert.ToByte(bits.Substring(i * 8, 8), 2)).ToArray();
        var step = BitConverter.GetBytes(TimeProvider.System.GetUtcNow().ToUnixTimeSeconds() / 30);
        if (BitConverter.IsLittleEndian)
        {
            Array.Reverse(step);
        }

        var hash = HMACSHA1.HashData(key, step);
        var offset = hash[^1] & 0x0f;
        var code = ((hash[offset] & 0x7f) << 24) | (hash[offset + 1] << 16) | (hash[offset + 2] << 8) | hash[offset + 3];
        return (code % 1_000_000).ToString("D6", System.Globalization.CultureInfo.InvariantCulture);
    }
}
