using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;
using System.Xml.Linq;

namespace IdentityReplicator.Core.Aws;

/// <summary>The parts of an AWS error reply that every protocol has.</summary>
public sealed record AwsErrorInfo(string Code, string Message, HttpStatusCode StatusCode, string? RequestId)
{
    /// <summary>The API operation that failed (e.g. <c>AdminCreateUser</c>), where the transport knows it.</summary>
    public string? Operation { get; init; }
}

/// <summary>Reads error replies of the JSON and XML protocols into <see cref="AwsErrorInfo"/>.</summary>
public static class AwsErrorReader
{
    /// <summary>
    /// JSON 1.0/1.1 protocol: the code is in <c>x-amzn-ErrorType</c> or the body's <c>__type</c>
    /// (either may carry a <c>namespace#</c> prefix or a <c>:http://…</c> suffix); the message in
    /// <c>message</c> or <c>Message</c>.
    /// </summary>
    internal static AwsErrorInfo ReadJson(HttpStatusCode status, HttpResponseHeaders headers, ReadOnlySpan<byte> body)
    {
        string? code = null;
        string? message = null;
        if (headers.TryGetValues("x-amzn-ErrorType", out var typeHeader))
        {
            code = typeHeader.FirstOrDefault();
        }

        if (!body.IsEmpty)
        {
            try
            {
                var reader = new Utf8JsonReader(body);
                using var document = JsonDocument.ParseValue(ref reader);
                if (document.RootElement.ValueKind == JsonValueKind.Object)
                {
                    foreach (var property in document.RootElement.EnumerateObject())
                    {
                        if (property.Value.ValueKind != JsonValueKind.String)
                        {
                            continue;
                        }

                        if (property.NameEquals("__type") || property.NameEquals("code"))
                        {
                            code ??= property.Value.GetString();
                        }
                        else if (property.Name.Equals("message", StringComparison.OrdinalIgnoreCase))
                        {
                            message = property.Value.GetString();
                        }
                    }
                }
            }
            catch (JsonException)
            {
                // Not JSON (a proxy's HTML page, a truncated body): fall back to the status code below.
            }
        }

        return new AwsErrorInfo(
            NormalizeCode(code) ?? FallbackCode(status),
            message ?? $"HTTP {(int)status} {status}",
            status,
            RequestIdFrom(headers));
    }

    /// <summary>REST-XML and Query protocols: <c>&lt;Error&gt;&lt;Code&gt;…&lt;/Code&gt;&lt;Message&gt;…</c>, possibly inside <c>ErrorResponse</c>.</summary>
    internal static AwsErrorInfo ReadXml(HttpStatusCode status, HttpResponseHeaders headers, string body)
    {
        string? code = null;
        string? message = null;
        string? requestId = RequestIdFrom(headers);
        if (!string.IsNullOrWhiteSpace(body))
        {
            try
            {
                var document = XDocument.Parse(body);
                var error = document.Descendants().FirstOrDefault(e => e.Name.LocalName == "Error");
                code = error?.Elements().FirstOrDefault(e => e.Name.LocalName == "Code")?.Value;
                message = error?.Elements().FirstOrDefault(e => e.Name.LocalName == "Message")?.Value;
                requestId ??= document.Descendants().FirstOrDefault(e => e.Name.LocalName == "RequestId")?.Value;
            }
            catch (System.Xml.XmlException)
            {
                // Not XML: fall back to the status code below.
            }
        }

        return new AwsErrorInfo(NormalizeCode(code) ?? FallbackCode(status), message ?? $"HTTP {(int)status} {status}", status, requestId);
    }

    /// <summary>The bare error code: no <c>namespace#</c> prefix, no <c>:http…</c> suffix.</summary>
    public static string? NormalizeCode(string? code)
    {
        if (string.IsNullOrWhiteSpace(code))
        {
            return null;
        }

        var value = code.Trim();
        var colon = value.IndexOf(':', StringComparison.Ordinal);
        if (colon >= 0)
        {
            value = value[..colon];
        }

        var hash = value.LastIndexOf('#');
        if (hash >= 0)
        {
            value = value[(hash + 1)..];
        }

        return value.Length == 0 ? null : value;
    }

    private static string FallbackCode(HttpStatusCode status) => (int)status switch
    {
        429 => "TooManyRequestsException",
        >= 500 => "ServiceUnavailable",
        _ => "UnknownError",
    };

    private static string? RequestIdFrom(HttpResponseHeaders headers)
    {
        foreach (var name in new[] { "x-amzn-RequestId", "x-amz-request-id", "x-amz-id-2" })
        {
            if (headers.TryGetValues(name, out var values))
            {
                return values.FirstOrDefault();
            }
        }

        return null;
    }
}
