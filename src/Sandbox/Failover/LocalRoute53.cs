using System.Collections.Concurrent;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Xml.Linq;
using IdentityReplicator.Core.Aws;
using IdentityReplicator.Core.Route53;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;

namespace IdentityReplicator.Sandbox.Failover;

/// <summary>
/// Amazon Route 53 on 127.0.0.1 over the real REST-XML protocol (API 2013-04-01): hosted zones, record sets, changes
/// that are PENDING for <c>propagation</c> and then INSYNC, and health checks whose status the sandbox sets.
/// Operations: CreateHostedZone, GetHostedZone, ChangeResourceRecordSets, ListResourceRecordSets, GetChange,
/// CreateHealthCheck, GetHealthCheck, GetHealthCheckStatus.
/// </summary>
public sealed class LocalRoute53 : LocalAwsEndpoint
{
    private static readonly XNamespace Ns = Route53Client.Namespace;
    private readonly ConcurrentDictionary<string, Zone> _zones = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, (DateTimeOffset Submitted, string? Comment)> _changes = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, bool> _healthChecks = new(StringComparer.Ordinal);
    private readonly TimeProvider _time;
    private readonly TimeSpan _propagation;

    private LocalRoute53(TimeProvider time, TimeSpan propagation)
    {
        _time = time;
        _propagation = propagation;
    }

    /// <summary>ChangeResourceRecordSets calls that changed at least one record.</summary>
    public int EffectiveChanges { get; private set; }

    public static async Task<LocalRoute53> StartAsync(TimeProvider time, TimeSpan propagation, CancellationToken cancellationToken)
    {
        var route53 = new LocalRoute53(time, propagation);
        await route53.ListenAsync(app => app.Map("/2013-04-01/{**path}", route53.HandleAsync), cancellationToken);
        return route53;
    }

    public string CreateZone(string name)
    {
        var id = "Z" + Convert.ToHexString(RandomNumberGenerator.GetBytes(8));
        _zones[id] = new Zone(id, Route53Client.NormalizeName(name), "sandbox-" + id);
        return id;
    }

    public void Put(string zoneId, ResourceRecordSet set)
    {
        var zone = _zones[zoneId];
        lock (zone)
        {
            zone.Records[Identity(set)] = set;
        }
    }

    public ResourceRecordSet? Get(string zoneId, string name, string type, string? setIdentifier = null)
    {
        var zone = _zones[zoneId];
        lock (zone)
        {
            return zone.Records.GetValueOrDefault((Route53Client.NormalizeName(name), type, setIdentifier));
        }
    }

    public string AddHealthCheck(bool healthy)
    {
        var id = Guid.NewGuid().ToString();
        _healthChecks[id] = healthy;
        return id;
    }

    private async Task HandleAsync(HttpContext context)
    {
        var (_, body) = await ReceiveAsync(context.Request);
        var segments = context.Request.Path.Value!.Trim('/').Split('/').Skip(1).ToArray();
        var method = context.Request.Method;
        try
        {
            XElement reply = (method, segments) switch
            {
                ("POST", ["hostedzone"]) => CreateZone(context, XElement.Parse(body)),
                ("GET", ["hostedzone", var id]) => GetZone(id),
                ("POST", ["hostedzone", var id, "rrset"]) => Change(id, XElement.Parse(body)),
                ("GET", ["hostedzone", var id, "rrset"]) => List(id, context.Request.Query),
                ("GET", ["change", var id]) => GetChange(id),
                ("POST", ["healthcheck"]) => CreateHealthCheck(context, XElement.Parse(body)),
                ("GET", ["healthcheck", var id]) => GetHealthCheck(id),
                ("GET", ["healthcheck", var id, "status"]) => HealthCheckStatus(id),
                _ => throw new Fault(404, "InvalidInput", $"The sandbox's Route 53 does not implement {method} /2013-04-01/{string.Join('/', segments)}."),
            };
            await WriteAsync(context, context.Response.StatusCode == 0 ? 200 : context.Response.StatusCode, new XDocument(reply));
        }
        catch (Fault fault)
        {
            await WriteAsync(context, fault.Status, new XDocument(new XElement(
                Ns + "ErrorResponse",
                new XElement(Ns + "Error", new XElement(Ns + "Type", "Sender"), new XElement(Ns + "Code", fault.Code), new XElement(Ns + "Message", fault.Message)),
                new XElement(Ns + "RequestId", Guid.NewGuid().ToString()))));
        }
        catch (System.Xml.XmlException e)
        {
            await WriteAsync(context, 400, new XDocument(new XElement(
                Ns + "ErrorResponse",
                new XElement(Ns + "Error", new XElement(Ns + "Type", "Sender"), new XElement(Ns + "Code", "InvalidInput"), new XElement(Ns + "Message", e.Message)),
                new XElement(Ns + "RequestId", Guid.NewGuid().ToString()))));
        }
    }

    private XElement CreateZone(HttpContext context, XElement request)
    {
        var id = CreateZone(request.Text("Name") ?? throw new Fault(400, "InvalidInput", "Name is required."));
        context.Response.StatusCode = 201;
        context.Response.Headers.Location = $"{Url}2013-04-01/hostedzone/{id}";
        var change = NewChange("create zone");
        return new XElement(Ns + "CreateHostedZoneResponse", ZoneElement(_zones[id]), ChangeElement(change), new XElement(Ns + "DelegationSet", new XElement(Ns + "NameServers", new XElement(Ns + "NameServer", "ns-1.sandbox.invalid"))));
    }

    private XElement GetZone(string id) =>
        new(Ns + "GetHostedZoneResponse", ZoneElement(Find(id)), new XElement(Ns + "DelegationSet", new XElement(Ns + "NameServers", new XElement(Ns + "NameServer", "ns-1.sandbox.invalid"))));

    private XElement Change(string id, XElement request)
    {
        var zone = Find(id);
        var batch = request.Child("ChangeBatch");
        var changes = batch.Items("Changes").Select(c => (Action: c.Text("Action") ?? string.Empty, Set: Route53Client.ReadRecordSet(c.Child("ResourceRecordSet")!))).ToList();
        if (changes.Count == 0)
        {
            throw new Fault(400, "InvalidChangeBatch", "A change batch needs at least one change.");
        }

        var changed = false;
        lock (zone)
        {
            // Validate the whole batch first: Route 53 applies all of it or nothing.
            foreach (var (action, set) in changes)
            {
                var exists = zone.Records.ContainsKey(Identity(set));
                if (action == "CREATE" && exists)
                {
                    throw new Fault(400, "InvalidChangeBatch", $"[Tried to create resource record set [name='{set.Name}', type='{set.Type}'] but it already exists]");
                }

                if (action == "DELETE" && !exists)
                {
                    throw new Fault(400, "InvalidChangeBatch", $"[Tried to delete resource record set [name='{set.Name}', type='{set.Type}'] but it was not found]");
                }

                if (action is not ("CREATE" or "DELETE" or "UPSERT"))
                {
                    throw new Fault(400, "InvalidInput", $"Action '{action}' is not CREATE, DELETE or UPSERT.");
                }
            }

            foreach (var (action, set) in changes)
            {
                if (action == "DELETE")
                {
                    zone.Records.Remove(Identity(set));
                    changed = true;
                }
                else
                {
                    changed |= !zone.Records.TryGetValue(Identity(set), out var old) || Route53Client.Write(old).ToString() != Route53Client.Write(set).ToString();
                    zone.Records[Identity(set)] = set;
                }
            }

            if (changed)
            {
                EffectiveChanges++;
            }
        }

        return new XElement(Ns + "ChangeResourceRecordSetsResponse", ChangeElement(NewChange(batch.Text("Comment"))));
    }

    private XElement List(string id, IQueryCollection query)
    {
        var zone = Find(id);
        var max = int.TryParse(query["maxitems"], NumberStyles.Integer, CultureInfo.InvariantCulture, out var m) ? Math.Clamp(m, 1, 300) : 300;
        List<ResourceRecordSet> sorted;
        lock (zone)
        {
            sorted = [.. zone.Records.OrderBy(r => r.Key.Name, StringComparer.Ordinal).ThenBy(r => r.Key.Type, StringComparer.Ordinal).ThenBy(r => r.Key.SetIdentifier ?? string.Empty, StringComparer.Ordinal).Select(r => r.Value)];
        }

        var start = query["name"].FirstOrDefault() is { Length: > 0 } name ? Route53Client.NormalizeName(name) : null;
        var type = query["type"].FirstOrDefault();
        var identifier = query["identifier"].FirstOrDefault();
        var from = start is null
            ? sorted
            : sorted.SkipWhile(r => Compare(r, start, type, identifier) < 0).ToList();
        var page = from.Take(max).ToList();
        var next = from.Skip(max).FirstOrDefault();
        var reply = new XElement(
            Ns + "ListResourceRecordSetsResponse",
            new XElement(Ns + "ResourceRecordSets", page.Select(Route53Client.Write)),
            new XElement(Ns + "IsTruncated", next is null ? "false" : "true"));
        if (next is not null)
        {
            reply.Add(new XElement(Ns + "NextRecordName", next.Name), new XElement(Ns + "NextRecordType", next.Type));
            if (next.SetIdentifier is not null)
            {
                reply.Add(new XElement(Ns + "NextRecordIdentifier", next.SetIdentifier));
            }
        }

        reply.Add(new XElement(Ns + "MaxItems", max.ToString(CultureInfo.InvariantCulture)));
        return reply;
    }

    private XElement GetChange(string id) =>
        _changes.ContainsKey(id)
            ? new XElement(Ns + "GetChangeResponse", ChangeElement(id))
            : throw new Fault(404, "NoSuchChange", $"A change with the specified change ID does not exist: {id}");

    private XElement CreateHealthCheck(HttpContext context, XElement request)
    {
        _ = request.Text("CallerReference") ?? throw new Fault(400, "InvalidInput", "CallerReference is required.");
        var id = AddHealthCheck(true);
        context.Response.StatusCode = 201;
        context.Response.Headers.Location = $"{Url}2013-04-01/healthcheck/{id}";
        return new XElement(Ns + "CreateHealthCheckResponse", HealthCheckElement(id, request.Text("CallerReference")!, request.Child("HealthCheckConfig")));
    }

    private XElement GetHealthCheck(string id) => _healthChecks.ContainsKey(id)
        ? new XElement(Ns + "GetHealthCheckResponse", HealthCheckElement(id, "sandbox", null))
        : throw new Fault(404, "NoSuchHealthCheck", $"No health check exists with the specified ID {id}.");

    private XElement HealthCheckStatus(string id)
    {
        if (!_healthChecks.TryGetValue(id, out var healthy))
        {
            throw new Fault(404, "NoSuchHealthCheck", $"No health check exists with the specified ID {id}.");
        }

        var now = _time.GetUtcNow().UtcDateTime.ToString("yyyy-MM-ddTHH:mm:ss.fffZ", CultureInfo.InvariantCulture);
        return new XElement(
            Ns + "GetHealthCheckStatusResponse",
            new XElement(Ns + "HealthCheckObservations", new[] { "us-east-1", "us-west-1", "eu-west-1" }.Select((region, i) => new XElement(
                Ns + "HealthCheckObservation",
                new XElement(Ns + "Region", region),
                new XElement(Ns + "IPAddress", $"192.0.2.{i + 1}"),
                new XElement(Ns + "StatusReport",
                    new XElement(Ns + "Status", healthy ? "Success: HTTP Status Code 200, OK" : "Failure: Connection timed out."),
                    new XElement(Ns + "CheckedTime", now))))));
    }

    private static XElement HealthCheckElement(string id, string callerReference, XElement? config) => new(
        Ns + "HealthCheck",
        new XElement(Ns + "Id", id),
        new XElement(Ns + "CallerReference", callerReference),
        config is null
            ? new XElement(Ns + "HealthCheckConfig", new XElement(Ns + "Type", "HTTP"), new XElement(Ns + "FullyQualifiedDomainName", "sandbox.invalid"))
            : new XElement(Ns + "HealthCheckConfig", config.Elements().Select(e => new XElement(Ns + e.Name.LocalName, e.Value))),
        new XElement(Ns + "HealthCheckVersion", "1"));

    private string NewChange(string? comment)
    {
        var id = "C" + Convert.ToHexString(RandomNumberGenerator.GetBytes(8));
        _changes[id] = (_time.GetUtcNow(), comment);
        return id;
    }

    private XElement ChangeElement(string id)
    {
        var (submitted, comment) = _changes[id];
        var element = new XElement(
            Ns + "ChangeInfo",
            new XElement(Ns + "Id", "/change/" + id),
            new XElement(Ns + "Status", _time.GetUtcNow() - submitted >= _propagation ? "INSYNC" : "PENDING"),
            new XElement(Ns + "SubmittedAt", submitted.UtcDateTime.ToString("yyyy-MM-ddTHH:mm:ss.fffZ", CultureInfo.InvariantCulture)));
        if (comment is not null)
        {
            element.Add(new XElement(Ns + "Comment", comment));
        }

        return element;
    }

    private static XElement ZoneElement(Zone zone)
    {
        int count;
        lock (zone)
        {
            count = zone.Records.Count;
        }

        return new XElement(
            Ns + "HostedZone",
            new XElement(Ns + "Id", "/hostedzone/" + zone.Id),
            new XElement(Ns + "Name", zone.Name),
            new XElement(Ns + "CallerReference", zone.CallerReference),
            new XElement(Ns + "Config", new XElement(Ns + "PrivateZone", "false")),
            new XElement(Ns + "ResourceRecordSetCount", count.ToString(CultureInfo.InvariantCulture)));
    }

    private Zone Find(string id) =>
        _zones.TryGetValue(Route53Client.ZoneId(Uri.UnescapeDataString(id)), out var zone)
            ? zone
            : throw new Fault(404, "NoSuchHostedZone", $"No hosted zone found with ID: {id}");

    private static int Compare(ResourceRecordSet r, string name, string? type, string? identifier)
    {
        var byName = string.CompareOrdinal(Route53Client.NormalizeName(r.Name), name);
        if (byName != 0 || type is null)
        {
            return byName;
        }

        var byType = string.CompareOrdinal(r.Type, type);
        return byType != 0 || identifier is null ? byType : string.CompareOrdinal(r.SetIdentifier ?? string.Empty, identifier);
    }

    private static (string Name, string Type, string? SetIdentifier) Identity(ResourceRecordSet set) =>
        (Route53Client.NormalizeName(set.Name), set.Type, set.SetIdentifier);

    private static async Task WriteAsync(HttpContext context, int status, XDocument document)
    {
        context.Response.StatusCode = status;
        context.Response.ContentType = "text/xml";
        context.Response.Headers["x-amz-request-id"] = Guid.NewGuid().ToString();
        await context.Response.WriteAsync("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n" + document.Root!.ToString(SaveOptions.DisableFormatting), Encoding.UTF8, context.RequestAborted);
    }

    private sealed record Zone(string Id, string Name, string CallerReference)
    {
        public Dictionary<(string Name, string Type, string? SetIdentifier), ResourceRecordSet> Records { get; } = [];
    }

    private sealed class Fault(int status, string code, string message) : Exception(message)
    {
        public int Status { get; } = status;

        public string Code { get; } = code;
    }
}
