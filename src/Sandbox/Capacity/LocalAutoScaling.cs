using System.Collections.Concurrent;
using System.Xml.Linq;
using IdentityReplicator.Core.AutoScaling;
using IdentityReplicator.Sandbox.Failover;

namespace IdentityReplicator.Sandbox.Capacity;

/// <summary>
/// EC2 Auto Scaling on 127.0.0.1 over the real Query protocol (API 2011-01-01, XML replies), Region taken from each
/// request's signature: groups with a size range whose new instances are <c>Pending</c> for the configured ramp, then
/// <c>InService</c> and <c>Healthy</c>. Actions: DescribeAutoScalingGroups, UpdateAutoScalingGroup, DescribeAccountLimits.
/// </summary>
internal sealed class LocalAutoScaling : LocalQueryEndpoint
{
    /// <summary>The default quota of groups per Region.</summary>
    public const int MaxGroups = 500;

    private static readonly XNamespace Ns = "http://autoscaling.amazonaws.com/doc/2011-01-01/";
    private readonly ConcurrentDictionary<(string Region, string Name), ScalableTier> _groups = new();
    private readonly TimeSpan _ramp;

    private LocalAutoScaling(TimeProvider time, TimeSpan ramp)
        : base(time)
    {
        _ramp = ramp;
    }

    protected override XNamespace Namespace => Ns;

    protected override string ApiVersion => AutoScalingClient.ApiVersion;

    /// <summary>Starts the endpoint; instances a scale-out launches come into service <paramref name="ramp"/> later.</summary>
    public static async Task<LocalAutoScaling> StartAsync(TimeProvider time, TimeSpan ramp, CancellationToken cancellationToken)
    {
        var endpoint = new LocalAutoScaling(time, ramp);
        await endpoint.StartListeningAsync(cancellationToken);
        return endpoint;
    }

    /// <summary>Adds a group whose <paramref name="desired"/> instances are already in service.</summary>
    public void AddGroup(string region, string name, int min, int max, int desired) =>
        Locked(() => _groups[(region, name)] = new ScalableTier(min, max, desired, _ramp, Time.GetUtcNow()));

    /// <summary>The group's (min, max, desired, in service) now.</summary>
    public (int Min, int Max, int Desired, int InService) Size(string region, string name) =>
        Locked(() => _groups[(region, name)] is var g ? (g.Min, g.Max, g.Desired, g.InService(Time.GetUtcNow())) : default);

    /// <summary>How many times the group's desired capacity changed (scale calls that did something).</summary>
    public int Changes(string region, string name) => Locked(() => _groups[(region, name)].Changes);

    internal override IEnumerable<XElement> Answer(string action, string region, IReadOnlyDictionary<string, string> form, DateTimeOffset now) => action switch
    {
        "DescribeAutoScalingGroups" => [Describe(region, List(form, "AutoScalingGroupNames"), now)],
        "UpdateAutoScalingGroup" => Update(region, form, now),
        "DescribeAccountLimits" =>
        [
            new XElement(Ns + "MaxNumberOfAutoScalingGroups", MaxGroups),
            new XElement(Ns + "MaxNumberOfLaunchConfigurations", 200),
            new XElement(Ns + "NumberOfAutoScalingGroups", _groups.Keys.Count(k => k.Region == region)),
            new XElement(Ns + "NumberOfLaunchConfigurations", 0),
        ],
        _ => throw new LocalFault(400, "InvalidAction", $"The sandbox's Auto Scaling does not implement action '{action}'."),
    };

    private XElement Describe(string region, List<string> names, DateTimeOffset now)
    {
        var groups = _groups.Where(g => g.Key.Region == region && (names.Count == 0 || names.Contains(g.Key.Name))).OrderBy(g => g.Key.Name, StringComparer.Ordinal);
        return new XElement(Ns + "AutoScalingGroups", groups.Select(g => new XElement(
            Ns + "member",
            new XElement(Ns + "AutoScalingGroupName", g.Key.Name),
            new XElement(Ns + "AutoScalingGroupARN", $"arn:aws:autoscaling:{region}:{LocalAws.Account}:autoScalingGroup:00000000-0000-0000-0000-000000000000:autoScalingGroupName/{g.Key.Name}"),
            new XElement(Ns + "MinSize", g.Value.Min),
            new XElement(Ns + "MaxSize", g.Value.Max),
            new XElement(Ns + "DesiredCapacity", g.Value.Desired),
            new XElement(Ns + "DefaultCooldown", 300),
            new XElement(Ns + "AvailabilityZones", new XElement(Ns + "member", region + "a")),
            new XElement(Ns + "HealthCheckType", "EC2"),
            new XElement(Ns + "Instances", g.Value.Units(now).Select(u => new XElement(
                Ns + "member",
                new XElement(Ns + "InstanceId", u.Id),
                new XElement(Ns + "InstanceType", "t3.micro"),
                new XElement(Ns + "AvailabilityZone", region + "a"),
                new XElement(Ns + "LifecycleState", u.InService ? "InService" : "Pending"),
                new XElement(Ns + "HealthStatus", "Healthy"),
                new XElement(Ns + "ProtectedFromScaleIn", false)))),
            new XElement(Ns + "CreatedTime", g.Value.ChangedAt.UtcDateTime.ToString("yyyy-MM-ddTHH:mm:ss.fffZ", System.Globalization.CultureInfo.InvariantCulture)))));
    }

    private IEnumerable<XElement> Update(string region, IReadOnlyDictionary<string, string> form, DateTimeOffset now)
    {
        var name = Required(form, "AutoScalingGroupName");
        if (!_groups.TryGetValue((region, name), out var group))
        {
            throw new LocalFault(400, "ValidationError", $"AutoScalingGroup name not found - no such group: {name}");
        }

        var min = Int(form, "MinSize") ?? group.Min;
        var max = Int(form, "MaxSize") ?? group.Max;
        var desired = Int(form, "DesiredCapacity") ?? Math.Clamp(group.Desired, min, max);
        if (min > max || desired < min || desired > max)
        {
            throw new LocalFault(400, "ValidationError", $"Desired capacity:{desired} must be between the specified min size:{min} and max size:{max}");
        }

        group.Min = min;
        group.Max = max;
        group.SetDesired(desired, now);
        return [];
    }
}
