using System.Text;
using System.Xml.Linq;
using IdentityReplicator.Sandbox.Failover;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;

namespace IdentityReplicator.Sandbox.Capacity;

/// <summary>
/// A local endpoint of the AWS Query protocol (form POST <c>Action=…&amp;Version=…</c>, XML replies in the service's
/// namespace, errors as <c>&lt;ErrorResponse&gt;&lt;Error&gt;</c>), as the sandbox's RDS speaks it: the subclass answers
/// one action with the content of its <c>&lt;ActionResult&gt;</c> element, under one lock, with the time of the request.
/// </summary>
public abstract class LocalQueryEndpoint : LocalAwsEndpoint
{
    private readonly Lock _gate = new();

    protected LocalQueryEndpoint(TimeProvider time)
    {
        Time = time;
    }

    protected TimeProvider Time { get; }

    protected abstract XNamespace Namespace { get; }

    protected abstract string ApiVersion { get; }

    /// <summary>Runs <paramref name="read"/> under the endpoint's lock (for tests and the sandbox reading state).</summary>
    protected T Locked<T>(Func<T> read)
    {
        lock (_gate)
        {
            return read();
        }
    }

    protected Task StartListeningAsync(CancellationToken cancellationToken) =>
        ListenAsync(app => app.MapPost("/", HandleAsync), cancellationToken);

    /// <summary>The result element's children for <paramref name="action"/>; throws <see cref="LocalFault"/> for an error reply.</summary>
    internal abstract IEnumerable<XElement> Answer(string action, string region, IReadOnlyDictionary<string, string> form, DateTimeOffset now);

    internal static string Required(IReadOnlyDictionary<string, string> form, string name) =>
        form.TryGetValue(name, out var value) && value.Length > 0 ? value : throw new LocalFault(400, "MissingParameter", $"The request must contain the parameter {name}.");

    internal static int? Int(IReadOnlyDictionary<string, string> form, string name) =>
        form.TryGetValue(name, out var value) ? int.TryParse(value, System.Globalization.CultureInfo.InvariantCulture, out var number) ? number : throw new LocalFault(400, "ValidationError", $"{name} must be an integer, not '{value}'.") : null;

    /// <summary>The members of a Query list (<c>Name.member.1</c>, <c>Name.member.2</c>, …) in order.</summary>
    internal static List<string> List(IReadOnlyDictionary<string, string> form, string name)
    {
        var items = new List<string>();
        for (var i = 1; form.TryGetValue($"{name}.member.{i}", out var value); i++)
        {
            items.Add(value);
        }

        return items;
    }

    private async Task HandleAsync(HttpContext context)
    {
        var (captured, body) = await ReceiveAsync(context.Request);
        var form = body.Split('&', StringSplitOptions.RemoveEmptyEntries)
            .Select(p => p.Split('=', 2))
            .ToDictionary(p => Uri.UnescapeDataString(p[0].Replace('+', ' ')), p => p.Length > 1 ? Uri.UnescapeDataString(p[1].Replace('+', ' ')) : string.Empty, StringComparer.Ordinal);
        var action = form.GetValueOrDefault("Action") ?? string.Empty;
        try
        {
            if (form.GetValueOrDefault("Version") != ApiVersion)
            {
                throw new LocalFault(400, "InvalidParameterValue", $"Version must be {ApiVersion}.");
            }

            List<XElement> result;
            lock (_gate)
            {
                result = [.. Answer(action, captured.Region, form, Time.GetUtcNow())];
            }

            await WriteAsync(context, 200, new XElement(
                Namespace + (action + "Response"),
                new XElement(Namespace + (action + "Result"), result),
                new XElement(Namespace + "ResponseMetadata", new XElement(Namespace + "RequestId", Guid.NewGuid().ToString()))));
        }
        catch (LocalFault fault)
        {
            await WriteAsync(context, fault.Status, new XElement(
                Namespace + "ErrorResponse",
                new XElement(Namespace + "Error", new XElement(Namespace + "Type", "Sender"), new XElement(Namespace + "Code", fault.Code), new XElement(Namespace + "Message", fault.Message)),
                new XElement(Namespace + "RequestId", Guid.NewGuid().ToString())));
        }
    }

    private static async Task WriteAsync(HttpContext context, int status, XElement root)
    {
        context.Response.StatusCode = status;
        context.Response.ContentType = "text/xml";
        await context.Response.Body.WriteAsync(Encoding.UTF8.GetBytes(root.ToString(SaveOptions.DisableFormatting)), context.RequestAborted);
    }
}
