using System.Collections.Concurrent;
using System.Text.Json.Nodes;
using IdentityReplicator.Sandbox.Failover;
using Microsoft.AspNetCore.Http;

namespace IdentityReplicator.Sandbox.Capacity;

/// <summary>
/// Amazon ECS on 127.0.0.1 over the real JSON 1.1 protocol (<c>AmazonEC2ContainerServiceV20141113.&lt;Op&gt;</c>),
/// Region taken from each request's signature: services in clusters whose new tasks are pending for the configured
/// ramp, then running; while any is pending the PRIMARY deployment's rollout is IN_PROGRESS. Operations:
/// DescribeServices, UpdateService (desiredCount).
/// </summary>
internal sealed class LocalEcs : LocalAwsEndpoint
{
    private const string Target = "AmazonEC2ContainerServiceV20141113.";
    private readonly ConcurrentDictionary<(string Region, string Cluster, string Service), ScalableTier> _services = new();
    private readonly Lock _gate = new();
    private readonly TimeProvider _time;
    private readonly TimeSpan _ramp;

    private LocalEcs(TimeProvider time, TimeSpan ramp)
    {
        _time = time;
        _ramp = ramp;
    }

    public static async Task<LocalEcs> StartAsync(TimeProvider time, TimeSpan ramp, CancellationToken cancellationToken)
    {
        var ecs = new LocalEcs(time, ramp);
        await ecs.ListenAsync(app => Microsoft.AspNetCore.Builder.EndpointRouteBuilderExtensions.MapPost(app, "/", ecs.HandleAsync), cancellationToken);
        return ecs;
    }

    /// <summary>Adds a service whose <paramref name="desired"/> tasks are already running.</summary>
    public void AddService(string region, string cluster, string service, int desired)
    {
        lock (_gate)
        {
            _services[(region, cluster, service)] = new ScalableTier(0, int.MaxValue, desired, _ramp, _time.GetUtcNow());
        }
    }

    /// <summary>The service's (desired, running) now.</summary>
    public (int Desired, int Running) Size(string region, string cluster, string service)
    {
        lock (_gate)
        {
            var tier = _services[(region, cluster, service)];
            return (tier.Desired, tier.InService(_time.GetUtcNow()));
        }
    }

    /// <summary>How many updates changed the service's desired count.</summary>
    public int Changes(string region, string cluster, string service)
    {
        lock (_gate)
        {
            return _services[(region, cluster, service)].Changes;
        }
    }

    private async Task HandleAsync(HttpContext context)
    {
        var (captured, request) = await ReceiveJsonAsync(context, "application/x-amz-json-1.1");
        JsonObject reply;
        try
        {
            lock (_gate)
            {
                var now = _time.GetUtcNow();
                reply = captured.Target switch
                {
                    Target + "DescribeServices" => Describe(captured.Region, request, now),
                    Target + "UpdateService" => Update(captured.Region, request, now),
                    _ => throw new LocalFault(400, "InvalidAction", $"The sandbox's ECS does not implement {captured.Target}."),
                };
            }
        }
        catch (LocalFault fault)
        {
            context.Response.StatusCode = fault.Status;
            context.Response.Headers["x-amzn-ErrorType"] = fault.Code;
            await context.Response.WriteAsync(new JsonObject { ["__type"] = fault.Code, ["message"] = fault.Message }.ToJsonString(), context.RequestAborted);
            return;
        }

        await context.Response.WriteAsync(reply.ToJsonString(), context.RequestAborted);
    }

    private JsonObject Describe(string region, JsonObject? request, DateTimeOffset now)
    {
        var cluster = ClusterOf(region, request);
        var services = new JsonArray();
        var failures = new JsonArray();
        foreach (var name in (request?["services"] as JsonArray ?? throw new LocalFault(400, "InvalidParameterException", "services can not be empty.")).Select(n => (string?)n ?? string.Empty))
        {
            var service = NameOf(name);
            if (_services.TryGetValue((region, cluster, service), out var tier))
            {
                services.Add(ServiceJson(region, cluster, service, tier, now));
            }
            else
            {
                failures.Add(new JsonObject { ["arn"] = ServiceArn(region, cluster, service), ["reason"] = "MISSING" });
            }
        }

        return new JsonObject { ["services"] = services, ["failures"] = failures };
    }

    private JsonObject Update(string region, JsonObject? request, DateTimeOffset now)
    {
        var cluster = ClusterOf(region, request);
        var service = NameOf((string?)request?["service"] ?? throw new LocalFault(400, "InvalidParameterException", "service can not be blank."));
        if (!_services.TryGetValue((region, cluster, service), out var tier))
        {
            throw new LocalFault(400, "ServiceNotFoundException", "Service not found.");
        }

        if (request!["desiredCount"] is JsonValue count)
        {
            var desired = count.GetValue<int>();
            if (desired < 0)
            {
                throw new LocalFault(400, "InvalidParameterException", "desiredCount must be at least 0.");
            }

            tier.SetDesired(desired, now);
        }

        return new JsonObject { ["service"] = ServiceJson(region, cluster, service, tier, now) };
    }

    private string ClusterOf(string region, JsonObject? request)
    {
        var cluster = NameOf((string?)request?["cluster"] ?? "default");
        return _services.Keys.Any(k => k.Region == region && k.Cluster == cluster) ? cluster : throw new LocalFault(400, "ClusterNotFoundException", "Cluster not found.");
    }

    private static JsonObject ServiceJson(string region, string cluster, string service, ScalableTier tier, DateTimeOffset now)
    {
        var running = tier.InService(now);
        var pending = tier.Pending(now);
        var changedAt = tier.ChangedAt.ToUnixTimeMilliseconds() / 1000.0;
        return new JsonObject
        {
            ["serviceArn"] = ServiceArn(region, cluster, service),
            ["serviceName"] = service,
            ["clusterArn"] = $"arn:aws:ecs:{region}:{LocalAws.Account}:cluster/{cluster}",
            ["status"] = "ACTIVE",
            ["desiredCount"] = tier.Desired,
            ["runningCount"] = running,
            ["pendingCount"] = pending,
            ["launchType"] = "FARGATE",
            ["deployments"] = new JsonArray(new JsonObject
            {
                ["id"] = "ecs-svc/" + service,
                ["status"] = "PRIMARY",
                ["desiredCount"] = tier.Desired,
                ["pendingCount"] = pending,
                ["runningCount"] = running,
                ["failedTasks"] = 0,
                ["createdAt"] = changedAt,
                ["updatedAt"] = changedAt,
                ["rolloutState"] = pending == 0 ? "COMPLETED" : "IN_PROGRESS",
            }),
            ["createdAt"] = changedAt,
            ["schedulingStrategy"] = "REPLICA",
        };
    }

    private static string NameOf(string nameOrArn) => nameOrArn.Contains('/', StringComparison.Ordinal) ? nameOrArn[(nameOrArn.LastIndexOf('/') + 1)..] : nameOrArn;

    private static string ServiceArn(string region, string cluster, string service) => $"arn:aws:ecs:{region}:{LocalAws.Account}:service/{cluster}/{service}";
}
