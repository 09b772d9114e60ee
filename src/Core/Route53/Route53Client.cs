using System.Globalization;
using System.Xml.Linq;
using Amazon.Runtime;
using IdentityReplicator.Core.Aws;

namespace IdentityReplicator.Core.Route53;

/// <summary>An error answered by Route 53 (<c>NoSuchHostedZone</c>, <c>InvalidChangeBatch</c>, <c>PriorRequestNotComplete</c>, …).</summary>
internal sealed class Route53Exception : AwsServiceException
{
    public Route53Exception(AwsErrorInfo error)
        : base(Route53Client.SigningName, error.Code, error.Message, error.StatusCode, error.RequestId)
    {
    }

    public Route53Exception()
    {
    }

    public Route53Exception(string message)
        : base(message)
    {
    }

    public Route53Exception(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    public bool IsNotFound => ErrorCode is "NoSuchHostedZone" or "NoSuchChange" or "NoSuchHealthCheck";
}

/// <summary>
/// A thin client of Amazon Route 53 (REST-XML, API 2013-04-01). Route 53 is global: requests are signed for
/// <c>us-east-1</c> and go to <c>route53.amazonaws.com</c> unless an endpoint is given (the sandbox).
/// </summary>
public sealed class Route53Client
{
    public const string SigningName = "route53";
    public const string SigningRegion = "us-east-1";
    public const string Namespace = "https://route53.amazonaws.com/doc/2013-04-01/";
    private const string Api = "2013-04-01";
    private static readonly XNamespace Ns = Namespace;

    private readonly AwsRestXmlTransport _transport;

    public Route53Client(HttpClient http, Uri? serviceUrl = null)
    {
        _transport = new AwsRestXmlTransport(http, serviceUrl ?? new Uri("https://route53.amazonaws.com/"), e => new Route53Exception(e));
    }

    public static Route53Client Create(AWSCredentials credentials, Uri? serviceUrl = null, HttpMessageHandler? transport = null) =>
        new(SignedHttpClient.Create(credentials, SigningRegion, SigningName, transport), serviceUrl);

    internal async Task<ChangeInfo> ChangeResourceRecordSetsAsync(ChangeResourceRecordSetsRequest request, CancellationToken cancellationToken = default)
    {
        // As the JS SDK v3 serializes it (the Smithy model): Changes before Comment, and no trailing slash in the path.
        var batch = new XElement(Ns + "ChangeBatch", new XElement(Ns + "Changes", request.Changes.Select(c => new XElement(
            Ns + "Change",
            new XElement(Ns + "Action", c.Action),
            Write(c.ResourceRecordSet)))));
        if (request.Comment is not null)
        {
            batch.Add(new XElement(Ns + "Comment", request.Comment));
        }

        var body = new XElement(Ns + "ChangeResourceRecordSetsRequest", batch);
        var reply = await _transport.SendAsync(HttpMethod.Post, $"{Api}/hostedzone/{Escape(ZoneId(request.HostedZoneId))}/rrset", null, body, cancellationToken);
        return ReadChangeInfo(reply.Child("ChangeInfo"));
    }

    public async Task<ChangeInfo> GetChangeAsync(string id, CancellationToken cancellationToken = default)
    {
        var reply = await _transport.SendAsync(HttpMethod.Get, $"{Api}/change/{Escape(Strip(id, "/change/"))}", null, null, cancellationToken);
        return ReadChangeInfo(reply.Child("ChangeInfo"));
    }

    internal async Task<ListResourceRecordSetsResponse> ListResourceRecordSetsAsync(ListResourceRecordSetsRequest request, CancellationToken cancellationToken = default)
    {
        var reply = await _transport.SendAsync(
            HttpMethod.Get,
            $"{Api}/hostedzone/{Escape(ZoneId(request.HostedZoneId))}/rrset",
            [
                new("name", request.StartRecordName),
                new("type", request.StartRecordType),
                new("identifier", request.StartRecordIdentifier),
                new("maxitems", request.MaxItems?.ToString(CultureInfo.InvariantCulture)),
            ],
            null,
            cancellationToken);
        return new ListResourceRecordSetsResponse(
            [.. reply.Items("ResourceRecordSets").Select(ReadRecordSet)],
            reply.Bool("IsTruncated") ?? false,
            reply.Text("NextRecordName"),
            reply.Text("NextRecordType"),
            reply.Text("NextRecordIdentifier"));
    }

    /// <summary>The record sets with exactly this name and type (every set identifier), following pages.</summary>
    public async Task<IReadOnlyList<ResourceRecordSet>> FindRecordSetsAsync(string hostedZoneId, string name, string type, CancellationToken cancellationToken = default)
    {
        var wanted = NormalizeName(name);
        var found = new List<ResourceRecordSet>();
        var request = new ListResourceRecordSetsRequest(hostedZoneId) { StartRecordName = wanted, StartRecordType = type };
        while (true)
        {
            var page = await ListResourceRecordSetsAsync(request, cancellationToken);
            foreach (var set in page.ResourceRecordSets)
            {
                if (NormalizeName(set.Name) != wanted || set.Type != type)
                {
                    return found;
                }

                found.Add(set);
            }

            if (!page.IsTruncated)
            {
                return found;
            }

            request = request with { StartRecordName = page.NextRecordName, StartRecordType = page.NextRecordType, StartRecordIdentifier = page.NextRecordIdentifier };
        }
    }

    public async Task<HostedZone> GetHostedZoneAsync(string id, CancellationToken cancellationToken = default)
    {
        var reply = await _transport.SendAsync(HttpMethod.Get, $"{Api}/hostedzone/{Escape(ZoneId(id))}", null, null, cancellationToken);
        var zone = reply.Child("HostedZone");
        return new HostedZone(Strip(zone.Text("Id") ?? id, "/hostedzone/"), zone.Text("Name") ?? string.Empty, zone.Long("ResourceRecordSetCount"));
    }

    public async Task<IReadOnlyList<HealthCheckObservation>> GetHealthCheckStatusAsync(string healthCheckId, CancellationToken cancellationToken = default)
    {
        var reply = await _transport.SendAsync(HttpMethod.Get, $"{Api}/healthcheck/{Escape(healthCheckId)}/status", null, null, cancellationToken);
        return
        [
            .. reply.Items("HealthCheckObservations").Select(o => new HealthCheckObservation(
                o.Text("Region"),
                o.Text("IPAddress"),
                o.Child("StatusReport").Text("Status"),
                o.Child("StatusReport").Time("CheckedTime"))),
        ];
    }

    /// <summary>Names compare without case and with the trailing dot Route 53 always returns.</summary>
    public static string NormalizeName(string name) => (name.EndsWith('.') ? name : name + ".").ToLowerInvariant();

    /// <summary>Route 53 returns ids as <c>/hostedzone/Z…</c> and takes them bare in paths, as the SDKs do.</summary>
    public static string ZoneId(string id) => Strip(id, "/hostedzone/");

    /// <summary>The <c>ResourceRecordSet</c> element as the API model serializes it (members in model order).</summary>
    public static XElement Write(ResourceRecordSet set)
    {
        // Members in the order of the API model, as the SDKs serialize them.
        var element = new XElement(Ns + "ResourceRecordSet", new XElement(Ns + "Name", set.Name), new XElement(Ns + "Type", set.Type));
        AddIf(element, "SetIdentifier", set.SetIdentifier);
        AddIf(element, "Weight", set.Weight?.ToString(CultureInfo.InvariantCulture));
        AddIf(element, "Region", set.Region);
        AddIf(element, "Failover", set.Failover);
        AddIf(element, "TTL", set.TTL?.ToString(CultureInfo.InvariantCulture));
        if (set.ResourceRecords.Count > 0)
        {
            element.Add(new XElement(Ns + "ResourceRecords", set.ResourceRecords.Select(v => new XElement(Ns + "ResourceRecord", new XElement(Ns + "Value", v)))));
        }

        if (set.AliasTarget is { } alias)
        {
            element.Add(new XElement(
                Ns + "AliasTarget",
                new XElement(Ns + "HostedZoneId", alias.HostedZoneId),
                new XElement(Ns + "DNSName", alias.DNSName),
                new XElement(Ns + "EvaluateTargetHealth", alias.EvaluateTargetHealth ? "true" : "false")));
        }

        AddIf(element, "HealthCheckId", set.HealthCheckId);
        return element;
    }

    public static ResourceRecordSet ReadRecordSet(XElement e)
    {
        var alias = e.Child("AliasTarget");
        return new ResourceRecordSet
        {
            Name = e.Text("Name") ?? string.Empty,
            Type = e.Text("Type") ?? string.Empty,
            SetIdentifier = e.Text("SetIdentifier"),
            Weight = e.Long("Weight"),
            Region = e.Text("Region"),
            Failover = e.Text("Failover"),
            TTL = e.Long("TTL"),
            ResourceRecords = [.. e.Items("ResourceRecords").Select(r => r.Text("Value") ?? string.Empty)],
            AliasTarget = alias is null ? null : new AliasTarget(alias.Text("HostedZoneId") ?? string.Empty, alias.Text("DNSName") ?? string.Empty, alias.Bool("EvaluateTargetHealth") ?? false),
            HealthCheckId = e.Text("HealthCheckId"),
        };
    }

    private static ChangeInfo ReadChangeInfo(XElement? e) => new(
        Strip(e.Text("Id") ?? string.Empty, "/change/"),
        e.Text("Status") ?? "PENDING",
        e.Time("SubmittedAt") ?? DateTimeOffset.MinValue,
        e.Text("Comment"));

    private static void AddIf(XElement parent, string name, string? value)
    {
        if (value is not null)
        {
            parent.Add(new XElement(Ns + name, value));
        }
    }

    private static string Strip(string id, string prefix) => id.StartsWith(prefix, StringComparison.Ordinal) ? id[prefix.Length..] : id;

    private static string Escape(string segment) => Uri.EscapeDataString(segment);
}
