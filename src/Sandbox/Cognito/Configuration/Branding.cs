using System.Globalization;
using System.Text.Json.Nodes;

namespace IdentityReplicator.Sandbox.Cognito.Configuration;

/// <summary>
/// The classic hosted UI's customization (Set/GetUICustomization: CSS and a logo, for the whole pool as
/// <c>ALL</c> or for one client; the pool needs a domain first, as in Cognito) and managed login branding styles
/// (Create/Describe/Update/DeleteManagedLoginBranding, DescribeManagedLoginBrandingByClient: one style per client,
/// settings and assets stored as given). cognito-local has none of them.
/// </summary>
internal sealed class Branding(ConfigurationContext context, AppClients clients, Domains domains)
{
    private const string AllClients = "ALL";
    private static readonly string[] Categories =
    [
        "FAVICON_ICO", "FAVICON_SVG", "EMAIL_GRAPHIC", "SMS_GRAPHIC", "AUTH_APP_GRAPHIC", "PASSWORD_GRAPHIC", "PASSKEY_GRAPHIC",
        "PAGE_HEADER_LOGO", "PAGE_HEADER_BACKGROUND", "PAGE_FOOTER_LOGO", "PAGE_FOOTER_BACKGROUND", "PAGE_BACKGROUND",
        "FORM_BACKGROUND", "FORM_LOGO", "IDP_BUTTON_ICON",
    ];

    public IEnumerable<KeyValuePair<string, Func<FrontCall, CancellationToken, Task<JsonObject>>>> Operations() =>
    [
        new("SetUICustomization", SetUiAsync),
        new("GetUICustomization", GetUiAsync),
        new("CreateManagedLoginBranding", CreateAsync),
        new("DescribeManagedLoginBranding", DescribeAsync),
        new("DescribeManagedLoginBrandingByClient", DescribeByClientAsync),
        new("UpdateManagedLoginBranding", UpdateAsync),
        new("DeleteManagedLoginBranding", DeleteAsync),
    ];

    private async Task<JsonObject> SetUiAsync(FrontCall call, CancellationToken cancellationToken)
    {
        var body = ConfigurationContext.Body(call);
        var userPoolId = await context.PoolAsync(body, cancellationToken);
        var clientId = await ClientOrAllAsync(body, userPoolId, cancellationToken);
        if (domains.Of(userPoolId) is (null, null))
        {
            throw CognitoFault.Invalid("There has to be an existing domain associated with this user pool or app client.");
        }

        var css = Requests.Optional(body, "CSS", 131072);
        var image = Requests.Optional(body, "ImageFile", 200_000);
        if (image is not null && !IsBase64(image))
        {
            throw CognitoFault.Invalid("ImageFile must be base64-encoded bytes.");
        }

        var now = context.Time.GetUtcNow();
        var version = now.ToString("yyyyMMddHHmmss", CultureInfo.InvariantCulture);
        var stored = context.Store.Change(root =>
        {
            var all = Ui(root, userPoolId);
            var customization = new JsonObject
            {
                ["UserPoolId"] = userPoolId,
                ["ClientId"] = clientId,
                ["LastModifiedDate"] = Requests.Timestamp(now),
                ["CreationDate"] = all[clientId]?["CreationDate"]?.DeepClone() ?? Requests.Timestamp(now),
            };
            if (css is not null)
            {
                customization["CSS"] = css;
                customization["CSSVersion"] = version;
            }

            if (image is not null)
            {
                customization["ImageUrl"] = $"https://{Host(root, userPoolId)}/{userPoolId}/{clientId}/{version}/assets/images/image.jpg";
                customization["ImageFile"] = image;
            }

            all[clientId] = customization;
            return (JsonObject)customization.DeepClone();
        });
        return new JsonObject { ["UICustomization"] = UiView(stored) };
    }

    private async Task<JsonObject> GetUiAsync(FrontCall call, CancellationToken cancellationToken)
    {
        var body = ConfigurationContext.Body(call);
        var userPoolId = await context.PoolAsync(body, cancellationToken);
        var clientId = await ClientOrAllAsync(body, userPoolId, cancellationToken);
        var stored = context.Store.Read(root => (Ui(root, userPoolId)[clientId] ?? Ui(root, userPoolId)[AllClients])?.DeepClone() as JsonObject);
        return new JsonObject { ["UICustomization"] = stored is null ? new JsonObject { ["UserPoolId"] = userPoolId, ["ClientId"] = clientId } : UiView(stored) };
    }

    private async Task<JsonObject> CreateAsync(FrontCall call, CancellationToken cancellationToken)
    {
        var body = ConfigurationContext.Body(call);
        var userPoolId = await context.PoolAsync(body, cancellationToken);
        var clientId = Requests.Required(body, "ClientId", 128, Requests.ClientId());
        await clients.RecordAsync(userPoolId, clientId, cancellationToken);
        var style = Style(body, null);
        var now = context.Now();
        var id = Guid.NewGuid().ToString();
        var branding = new JsonObject { ["ManagedLoginBrandingId"] = id, ["UserPoolId"] = userPoolId, ["ClientId"] = clientId };
        Apply(branding, style);
        branding["CreationDate"] = now;
        branding["LastModifiedDate"] = now.DeepClone();
        context.Store.Change(root =>
        {
            var all = Brandings(root, userPoolId);
            if (all.Any(b => b.Value?["ClientId"]?.GetValue<string>() == clientId))
            {
                throw new CognitoFault("ManagedLoginBrandingExistsException", $"App client {clientId} already has a managed login branding style.");
            }

            all[id] = branding.DeepClone();
            return true;
        });
        return new JsonObject { ["ManagedLoginBranding"] = View(branding) };
    }

    private async Task<JsonObject> DescribeAsync(FrontCall call, CancellationToken cancellationToken)
    {
        var body = ConfigurationContext.Body(call);
        var userPoolId = await context.PoolAsync(body, cancellationToken);
        var id = Requests.Required(body, "ManagedLoginBrandingId", 36);
        return new JsonObject { ["ManagedLoginBranding"] = View(Find(userPoolId, b => b.Key == id) ?? throw CognitoFault.NotFound($"Managed login branding {id} does not exist.")) };
    }

    private async Task<JsonObject> DescribeByClientAsync(FrontCall call, CancellationToken cancellationToken)
    {
        var body = ConfigurationContext.Body(call);
        var userPoolId = await context.PoolAsync(body, cancellationToken);
        var clientId = Requests.Required(body, "ClientId", 128, Requests.ClientId());
        await clients.RecordAsync(userPoolId, clientId, cancellationToken);
        var branding = Find(userPoolId, b => b.Value?["ClientId"]?.GetValue<string>() == clientId)
            ?? throw CognitoFault.NotFound($"App client {clientId} has no managed login branding style.");
        return new JsonObject { ["ManagedLoginBranding"] = View(branding) };
    }

    private async Task<JsonObject> UpdateAsync(FrontCall call, CancellationToken cancellationToken)
    {
        var body = ConfigurationContext.Body(call);
        var userPoolId = await context.PoolAsync(body, cancellationToken);
        var id = Requests.Required(body, "ManagedLoginBrandingId", 36);
        var updated = context.Store.Change(root =>
        {
            var branding = Brandings(root, userPoolId)[id] as JsonObject ?? throw CognitoFault.NotFound($"Managed login branding {id} does not exist.");
            Apply(branding, Style(body, branding));
            branding["LastModifiedDate"] = context.Now();
            return (JsonObject)branding.DeepClone();
        });
        return new JsonObject { ["ManagedLoginBranding"] = View(updated) };
    }

    private async Task<JsonObject> DeleteAsync(FrontCall call, CancellationToken cancellationToken)
    {
        var body = ConfigurationContext.Body(call);
        var userPoolId = await context.PoolAsync(body, cancellationToken);
        var id = Requests.Required(body, "ManagedLoginBrandingId", 36);
        context.Store.Change(root => Brandings(root, userPoolId).Remove(id) ? true : throw CognitoFault.NotFound($"Managed login branding {id} does not exist."));
        return [];
    }

    /// <summary>The style a request asks for: Cognito's values, or the given settings and assets (kept when not given on update).</summary>
    private static (bool UseCognito, JsonNode? Settings, JsonArray? Assets) Style(JsonObject body, JsonObject? current)
    {
        var useCognito = Requests.Flag(body, "UseCognitoProvidedValues") ?? false;
        if (useCognito && (body["Settings"] is not null || body["Assets"] is not null))
        {
            throw CognitoFault.Invalid("When UseCognitoProvidedValues is true, Settings and Assets must be omitted.");
        }

        if (body["Assets"] is { } assets)
        {
            if (assets is not JsonArray list || list.Count > 40)
            {
                throw CognitoFault.Invalid("Assets must be a list of at most 40 assets.");
            }

            foreach (var asset in list)
            {
                var item = asset as JsonObject ?? throw CognitoFault.Invalid("Each asset must be an object.");
                Requests.OneOf(item, "Category", Categories);
                Requests.OneOf(item, "ColorMode", "LIGHT", "DARK", "DYNAMIC");
                Requests.OneOf(item, "Extension", "ICO", "JPEG", "PNG", "SVG", "WEBP");
                if (item["Category"] is null || item["ColorMode"] is null || item["Extension"] is null)
                {
                    throw CognitoFault.Invalid("Each asset needs a Category, a ColorMode and an Extension.");
                }

                if (Requests.Optional(item, "Bytes", 2_000_000) is { } bytes && !IsBase64(bytes))
                {
                    throw CognitoFault.Invalid("Asset Bytes must be base64-encoded.");
                }
            }
        }

        return useCognito
            ? (true, null, null)
            : (false, body["Settings"]?.DeepClone() ?? current?["Settings"]?.DeepClone(), (body["Assets"] ?? current?["Assets"])?.DeepClone() as JsonArray);
    }

    private static void Apply(JsonObject branding, (bool UseCognito, JsonNode? Settings, JsonArray? Assets) style)
    {
        branding["UseCognitoProvidedValues"] = style.UseCognito;
        branding["Settings"] = style.Settings;
        branding["Assets"] = style.Assets ?? [];
        if (style.Settings is null)
        {
            branding.Remove("Settings");
        }
    }

    /// <summary>ManagedLoginBrandingType: the stored style without the client it belongs to.</summary>
    private static JsonObject View(JsonObject branding)
    {
        var view = (JsonObject)branding.DeepClone();
        view.Remove("ClientId");
        return view;
    }

    private static JsonObject UiView(JsonObject stored)
    {
        var view = (JsonObject)stored.DeepClone();
        view.Remove("ImageFile");
        return view;
    }

    private JsonObject? Find(string userPoolId, Func<KeyValuePair<string, JsonNode?>, bool> match) =>
        context.Store.Read(root => Brandings(root, userPoolId).FirstOrDefault(match).Value?.DeepClone() as JsonObject);

    private async Task<string> ClientOrAllAsync(JsonObject body, string userPoolId, CancellationToken cancellationToken)
    {
        var clientId = Requests.Optional(body, "ClientId", 128, Requests.ClientId());
        if (clientId is null or AllClients)
        {
            return AllClients;
        }

        await clients.RecordAsync(userPoolId, clientId, cancellationToken);
        return clientId;
    }

    private static string Host(JsonObject root, string userPoolId) =>
        ConfigurationStore.Section(root, "domains").Select(d => d.Value).FirstOrDefault(d => d?["UserPoolId"]?.GetValue<string>() == userPoolId)?["CloudFrontDistribution"]?.GetValue<string>()
        ?? "sandbox.cloudfront.net";

    private static bool IsBase64(string text) => text.Length % 4 == 0 && Convert.TryFromBase64String(text, new byte[text.Length], out _);

    private static JsonObject Ui(JsonObject root, string userPoolId) => ConfigurationStore.Section(ConfigurationStore.Pool(root, userPoolId), "uiCustomizations");

    private static JsonObject Brandings(JsonObject root, string userPoolId) => ConfigurationStore.Section(ConfigurationStore.Pool(root, userPoolId), "brandings");
}
