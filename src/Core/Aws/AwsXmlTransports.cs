using System.Globalization;
using System.Net.Http.Headers;
using System.Text;
using System.Xml.Linq;

namespace IdentityReplicator.Core.Aws;

/// <summary>
/// The REST-XML protocol (Route 53): the operation is the method and path, inputs travel in the path, the query
/// string and an XML body; replies are XML; errors are <c>&lt;ErrorResponse&gt;&lt;Error&gt;&lt;Code&gt;</c>.
/// </summary>
internal sealed class AwsRestXmlTransport(HttpClient http, Uri endpoint, Func<AwsErrorInfo, Exception> errorFactory)
{
    private static readonly MediaTypeHeaderValue XmlContentType = new("application/xml");

    public Uri Endpoint => endpoint;

    /// <summary>Sends one request; returns the reply's root element (an empty element for an empty reply).</summary>
    public async Task<XElement> SendAsync(HttpMethod method, string path, IEnumerable<KeyValuePair<string, string?>>? query, XElement? body, CancellationToken cancellationToken)
    {
        var uri = new Uri(endpoint, path.TrimStart('/') + QueryString(query));
        using var message = new HttpRequestMessage(method, uri);
        if (body is not null)
        {
            var text = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>" + body.ToString(SaveOptions.DisableFormatting);
            message.Content = new ByteArrayContent(Encoding.UTF8.GetBytes(text));
            message.Content.Headers.ContentType = XmlContentType;
        }

        return await AwsXmlReplies.SendAsync(http, message, errorFactory, cancellationToken);
    }

    private static string QueryString(IEnumerable<KeyValuePair<string, string?>>? query)
    {
        var parts = (query ?? []).Where(p => p.Value is not null).Select(p => $"{Uri.EscapeDataString(p.Key)}={Uri.EscapeDataString(p.Value!)}").ToList();
        return parts.Count == 0 ? string.Empty : "?" + string.Join('&', parts);
    }
}

/// <summary>
/// The Query protocol (RDS, …): <c>POST /</c> with a form body <c>Action=&lt;Op&gt;&amp;Version=&lt;api version&gt;&amp;…</c>;
/// replies are XML (<c>&lt;OpResponse&gt;&lt;OpResult&gt;</c>); errors are <c>&lt;ErrorResponse&gt;&lt;Error&gt;&lt;Code&gt;</c>.
/// </summary>
internal sealed class AwsQueryTransport(HttpClient http, Uri endpoint, string apiVersion, Func<AwsErrorInfo, Exception> errorFactory)
{
    public Uri Endpoint => endpoint;

    /// <summary>Sends one action with its parameters (already flattened to Query names); returns the <c>&lt;ActionResult&gt;</c> element.</summary>
    public async Task<XElement> SendAsync(string action, IEnumerable<KeyValuePair<string, string>> parameters, CancellationToken cancellationToken)
    {
        var form = new List<KeyValuePair<string, string>> { new("Action", action), new("Version", apiVersion) };
        form.AddRange(parameters);
        var body = string.Join('&', form.Select(p => $"{Encode(p.Key)}={Encode(p.Value)}"));
        using var message = new HttpRequestMessage(HttpMethod.Post, endpoint)
        {
            Content = new ByteArrayContent(Encoding.UTF8.GetBytes(body)),
        };
        message.Content.Headers.ContentType = new MediaTypeHeaderValue("application/x-www-form-urlencoded");
        var root = await AwsXmlReplies.SendAsync(http, message, errorFactory, cancellationToken);
        return root.Elements().FirstOrDefault(e => e.Name.LocalName == action + "Result") ?? new XElement(action + "Result");
    }

    /// <summary>RFC 3986 encoding, as the AWS SDKs send it.</summary>
    public static string Encode(string value) => Uri.EscapeDataString(value);
}

/// <summary>Reading XML replies: by local name, so namespaces (which differ per service) never get in the way.</summary>
public static class AwsXml
{
    public static XElement? Child(this XElement? element, string name) =>
        element?.Elements().FirstOrDefault(e => e.Name.LocalName == name);

    public static string? Text(this XElement? element, string name) => element.Child(name)?.Value;

    public static bool? Bool(this XElement? element, string name) =>
        element.Text(name) is { } text ? string.Equals(text, "true", StringComparison.OrdinalIgnoreCase) : null;

    public static long? Long(this XElement? element, string name) =>
        element.Text(name) is { } text && long.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out var value) ? value : null;

    public static DateTimeOffset? Time(this XElement? element, string name) =>
        element.Text(name) is { } text && DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var value) ? value : null;

    /// <summary>The members of a list: <c>&lt;List&gt;&lt;Member/&gt;&lt;Member/&gt;&lt;/List&gt;</c>.</summary>
    public static IEnumerable<XElement> Items(this XElement? element, string listName) =>
        element.Child(listName)?.Elements() ?? [];
}

internal static class AwsXmlReplies
{
    public static async Task<XElement> SendAsync(HttpClient http, HttpRequestMessage message, Func<AwsErrorInfo, Exception> errorFactory, CancellationToken cancellationToken)
    {
        using var response = await http.SendAsync(message, HttpCompletionOption.ResponseContentRead, cancellationToken);
        var text = await response.Content.ReadAsStringAsync(cancellationToken);
        if (!response.IsSuccessStatusCode)
        {
            throw errorFactory(AwsErrorReader.ReadXml(response.StatusCode, response.Headers, text));
        }

        if (string.IsNullOrWhiteSpace(text))
        {
            return new XElement("Empty");
        }

        try
        {
            return XDocument.Parse(text).Root ?? new XElement("Empty");
        }
        catch (System.Xml.XmlException e)
        {
            throw errorFactory(new AwsErrorInfo("MalformedReply", $"The reply was not XML: {e.Message}", response.StatusCode, null));
        }
    }
}
