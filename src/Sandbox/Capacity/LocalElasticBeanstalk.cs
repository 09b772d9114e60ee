using System.Collections.Concurrent;
using System.Globalization;
using System.Xml.Linq;
using IdentityReplicator.Core.ElasticBeanstalk;
using IdentityReplicator.Sandbox.Failover;

namespace IdentityReplicator.Sandbox.Capacity;

/// <summary>
/// AWS Elastic Beanstalk on 127.0.0.1 over the real Query protocol (API 2010-12-01, XML replies), Region taken from each
/// request's signature: environments whose Auto Scaling group size is the <c>aws:autoscaling:asg</c> MinSize/MaxSize
/// options. An update keeps the environment <c>Updating</c> (health Grey, a second update refused) until the new
/// instances are in service after the ramp; then it is <c>Ready</c>, Green / Ok. Actions: DescribeEnvironments,
/// DescribeConfigurationSettings, UpdateEnvironment, DescribeEnvironmentHealth (enhanced health). An environment runs
/// at its MinSize, as an idle one does once its scaling triggers settle.
/// </summary>
public sealed class LocalElasticBeanstalk : LocalQueryEndpoint
{
    private static readonly XNamespace Ns = "http://elasticbeanstalk.amazonaws.com/docs/2010-12-01/";
    private readonly ConcurrentDictionary<(string Region, string Name), (string Application, string Id, ScalableTier Tier)> _environments = new();
    private readonly TimeSpan _ramp;

    private LocalElasticBeanstalk(TimeProvider time, TimeSpan ramp)
        : base(time)
    {
        _ramp = ramp;
    }

    protected override XNamespace Namespace => Ns;

    protected override string ApiVersion => ElasticBeanstalkClient.ApiVersion;

    public static async Task<LocalElasticBeanstalk> StartAsync(TimeProvider time, TimeSpan ramp, CancellationToken cancellationToken)
    {
        var endpoint = new LocalElasticBeanstalk(time, ramp);
        await endpoint.StartListeningAsync(cancellationToken);
        return endpoint;
    }

    /// <summary>Adds a Ready environment running <paramref name="min"/> instances.</summary>
    public void AddEnvironment(string region, string application, string name, int min, int max) =>
        Locked(() => _environments[(region, name)] = (application, "e-" + Guid.NewGuid().ToString("N")[..10], new ScalableTier(min, max, min, _ramp, Time.GetUtcNow())));

    /// <summary>The environment's (MinSize, MaxSize, instances in service) now.</summary>
    public (int Min, int Max, int InService) Size(string region, string name) =>
        Locked(() => _environments[(region, name)].Tier is var t ? (t.Min, t.Max, t.InService(Time.GetUtcNow())) : default);

    /// <summary>How many updates changed the environment's instance count.</summary>
    public int Changes(string region, string name) => Locked(() => _environments[(region, name)].Tier.Changes);

    internal override IEnumerable<XElement> Answer(string action, string region, IReadOnlyDictionary<string, string> form, DateTimeOffset now) => action switch
    {
        "DescribeEnvironments" => Describe(region, form, now),
        "DescribeConfigurationSettings" => Settings(region, form),
        "UpdateEnvironment" => Update(region, form, now),
        "DescribeEnvironmentHealth" => Health(region, form, now),
        _ => throw new LocalFault(400, "InvalidAction", $"The sandbox's Elastic Beanstalk does not implement action '{action}'."),
    };

    private IEnumerable<XElement> Describe(string region, IReadOnlyDictionary<string, string> form, DateTimeOffset now)
    {
        var names = List(form, "EnvironmentNames");
        var application = form.GetValueOrDefault("ApplicationName");
        var matches = _environments
            .Where(e => e.Key.Region == region && (names.Count == 0 || names.Contains(e.Key.Name)) && (application is null || e.Value.Application == application))
            .OrderBy(e => e.Key.Name, StringComparer.Ordinal);
        return [new XElement(Ns + "Environments", matches.Select(e => new XElement(Ns + "member", EnvironmentMembers(region, e.Key.Name, now))))];
    }

    private IEnumerable<XElement> Settings(string region, IReadOnlyDictionary<string, string> form)
    {
        var application = Required(form, "ApplicationName");
        var environment = Find(region, Required(form, "EnvironmentName"));
        if (environment.Application != application)
        {
            throw new LocalFault(400, "InvalidParameterValue", $"No Environment found for EnvironmentName = '{form["EnvironmentName"]}'.");
        }

        return
        [
            new XElement(Ns + "ConfigurationSettings", new XElement(
                Ns + "member",
                new XElement(Ns + "ApplicationName", application),
                new XElement(Ns + "EnvironmentName", form["EnvironmentName"]),
                new XElement(Ns + "DeploymentStatus", "deployed"),
                new XElement(Ns + "OptionSettings", Option("MinSize", environment.Tier.Min), Option("MaxSize", environment.Tier.Max)))),
        ];
    }

    private IEnumerable<XElement> Update(string region, IReadOnlyDictionary<string, string> form, DateTimeOffset now)
    {
        var name = Required(form, "EnvironmentName");
        var tier = Find(region, name).Tier;
        if (!tier.IsSteady(now))
        {
            throw new LocalFault(400, "InvalidParameterValue", $"Environment named {name} is in an invalid state for this operation. Must be Ready.");
        }

        int? min = null;
        int? max = null;
        for (var i = 1; form.TryGetValue($"OptionSettings.member.{i}.OptionName", out var option); i++)
        {
            if (form.GetValueOrDefault($"OptionSettings.member.{i}.Namespace") != ElasticBeanstalkClient.AsgNamespace)
            {
                continue;
            }

            var value = Int(form, $"OptionSettings.member.{i}.Value");
            (min, max) = option switch { "MinSize" => (value, max), "MaxSize" => (min, value), _ => (min, max) };
        }

        var newMin = min ?? tier.Min;
        var newMax = max ?? tier.Max;
        if (newMin < 0 || newMin > newMax || newMax > 10000)
        {
            throw new LocalFault(400, "ConfigurationValidationException", $"Configuration validation exception: MinSize {newMin} must be between 0 and MaxSize {newMax}.");
        }

        tier.Min = newMin;
        tier.Max = newMax;
        tier.SetDesired(newMin, now);
        return EnvironmentMembers(region, name, now);
    }

    private IEnumerable<XElement> Health(string region, IReadOnlyDictionary<string, string> form, DateTimeOffset now)
    {
        var name = Required(form, "EnvironmentName");
        var tier = Find(region, name).Tier;
        var steady = tier.IsSteady(now);
        return
        [
            new XElement(Ns + "EnvironmentName", name),
            new XElement(Ns + "HealthStatus", steady ? "Ok" : "Info"),
            new XElement(Ns + "Status", steady ? "Ready" : "Updating"),
            new XElement(Ns + "Color", steady ? "Green" : "Grey"),
            new XElement(Ns + "Causes"),
            new XElement(Ns + "InstancesHealth",
                new XElement(Ns + "NoData", 0),
                new XElement(Ns + "Unknown", 0),
                new XElement(Ns + "Pending", tier.Pending(now)),
                new XElement(Ns + "Ok", tier.InService(now)),
                new XElement(Ns + "Info", 0),
                new XElement(Ns + "Warning", 0),
                new XElement(Ns + "Degraded", 0),
                new XElement(Ns + "Severe", 0)),
            new XElement(Ns + "RefreshedAt", Timestamp(now)),
        ];
    }

    private IEnumerable<XElement> EnvironmentMembers(string region, string name, DateTimeOffset now)
    {
        var (application, id, tier) = _environments[(region, name)];
        var steady = tier.IsSteady(now);
        return
        [
            new XElement(Ns + "EnvironmentName", name),
            new XElement(Ns + "EnvironmentId", id),
            new XElement(Ns + "ApplicationName", application),
            new XElement(Ns + "SolutionStackName", "64bit Amazon Linux 2023 v6.1.0 running Node.js 20"),
            new XElement(Ns + "CNAME", $"{name}.{region}.elasticbeanstalk.com"),
            new XElement(Ns + "DateUpdated", Timestamp(tier.ChangedAt)),
            new XElement(Ns + "Status", steady ? "Ready" : "Updating"),
            new XElement(Ns + "AbortableOperationInProgress", !steady),
            new XElement(Ns + "Health", steady ? "Green" : "Grey"),
            new XElement(Ns + "HealthStatus", steady ? "Ok" : "Info"),
            new XElement(Ns + "Tier", new XElement(Ns + "Name", "WebServer"), new XElement(Ns + "Type", "Standard"), new XElement(Ns + "Version", "1.0")),
            new XElement(Ns + "EnvironmentArn", $"arn:aws:elasticbeanstalk:{region}:{LocalAws.Account}:environment/{application}/{name}"),
        ];
    }

    private (string Application, string Id, ScalableTier Tier) Find(string region, string name) =>
        _environments.TryGetValue((region, name), out var environment)
            ? environment
            : throw new LocalFault(400, "InvalidParameterValue", $"No Environment found for EnvironmentName = '{name}'.");

    private static XElement Option(string name, int value) => new(
        Ns + "member",
        new XElement(Ns + "ResourceName", "AWSEBAutoScalingGroup"),
        new XElement(Ns + "Namespace", ElasticBeanstalkClient.AsgNamespace),
        new XElement(Ns + "OptionName", name),
        new XElement(Ns + "Value", value.ToString(CultureInfo.InvariantCulture)));

    private static string Timestamp(DateTimeOffset at) => at.UtcDateTime.ToString("yyyy-MM-ddTHH:mm:ss.fffZ", CultureInfo.InvariantCulture);
}
