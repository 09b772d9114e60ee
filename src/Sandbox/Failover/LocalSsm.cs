using System.Collections.Concurrent;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;

namespace IdentityReplicator.Sandbox.Failover;

/// <summary>
/// AWS Systems Manager Parameter Store on 127.0.0.1 over the real JSON 1.1 protocol (<c>AmazonSSM.&lt;Op&gt;</c>),
/// parameters kept per Region (the Region a request was signed for). Operations: GetParameter, GetParameters,
/// PutParameter. SecureString values are kept as given (no KMS).
/// </summary>
public sealed class LocalSsm : LocalAwsEndpoint
{
    private readonly ConcurrentDictionary<(string Region, string Name), Parameter> _parameters = new();
    private readonly TimeProvider _time;
    private int _writes;

    private LocalSsm(TimeProvider time)
    {
        _time = time;
    }

    /// <summary>PutParameter calls that changed a value.</summary>
    public int EffectiveWrites => Volatile.Read(ref _writes);

    public static async Task<LocalSsm> StartAsync(TimeProvider time, CancellationToken cancellationToken)
    {
        var ssm = new LocalSsm(time);
        await ssm.ListenAsync(app => app.MapPost("/", ssm.HandleAsync), cancellationToken);
        return ssm;
    }

    public void Put(string region, string name, string value, string type = "String") =>
        _parameters.AddOrUpdate((region, name), _ => new Parameter(value, type, 1, _time.GetUtcNow()), (_, old) => new Parameter(value, type, old.Version + 1, _time.GetUtcNow()));

    public string? Get(string region, string name) => _parameters.TryGetValue((region, name), out var p) ? p.Value : null;

    private async Task HandleAsync(HttpContext context)
    {
        var (captured, request) = await ReceiveJsonAsync(context, "application/x-amz-json-1.1");

        if (request is null)
        {
            await ErrorAsync(context, "SerializationException", "The request body is not a JSON object.");
            return;
        }

        var region = captured.Region;
        switch (captured.Target)
        {
            case "AmazonSSM.GetParameter":
                var name = request["Name"]?.GetValue<string>() ?? string.Empty;
                if (!_parameters.TryGetValue((region, name), out var one))
                {
                    await ErrorAsync(context, "ParameterNotFound", $"Parameter {name} not found.");
                    return;
                }

                await context.Response.WriteAsync(new JsonObject { ["Parameter"] = Describe(region, name, one) }.ToJsonString(), context.RequestAborted);
                return;

            case "AmazonSSM.GetParameters":
                var names = (request["Names"] as JsonArray ?? []).Select(n => n!.GetValue<string>()).ToList();
                if (names.Count is 0 or > 10)
                {
                    await ErrorAsync(context, "ValidationException", "Names must hold between 1 and 10 names.");
                    return;
                }

                var found = new JsonArray();
                var invalid = new JsonArray();
                foreach (var n in names)
                {
                    if (_parameters.TryGetValue((region, n), out var p))
                    {
                        found.Add(Describe(region, n, p));
                    }
                    else
                    {
                        invalid.Add(n);
                    }
                }

                await context.Response.WriteAsync(new JsonObject { ["Parameters"] = found, ["InvalidParameters"] = invalid }.ToJsonString(), context.RequestAborted);
                return;

            case "AmazonSSM.PutParameter":
                var putName = request["Name"]?.GetValue<string>();
                var value = request["Value"]?.GetValue<string>();
                if (string.IsNullOrEmpty(putName) || value is null)
                {
                    await ErrorAsync(context, "ValidationException", "Name and Value are required.");
                    return;
                }

                var overwrite = request["Overwrite"]?.GetValue<bool>() == true;
                var type = request["Type"]?.GetValue<string>() ?? "String";
                if (_parameters.TryGetValue((region, putName), out var existing) && !overwrite)
                {
                    await ErrorAsync(context, "ParameterAlreadyExists", "The parameter already exists. To overwrite this value, set the overwrite option in the request to true.");
                    return;
                }

                if (existing is null || existing.Value != value)
                {
                    Interlocked.Increment(ref _writes);
                }

                Put(region, putName, value, existing?.Type ?? type);
                await context.Response.WriteAsync(new JsonObject { ["Version"] = _parameters[(region, putName)].Version, ["Tier"] = "Standard" }.ToJsonString(), context.RequestAborted);
                return;

            default:
                await ErrorAsync(context, "InvalidAction", $"The sandbox's SSM does not implement {captured.Target}.");
                return;
        }
    }

    private static JsonObject Describe(string region, string name, Parameter parameter) => new()
    {
        ["Name"] = name,
        ["Type"] = parameter.Type,
        ["Value"] = parameter.Value,
        ["Version"] = parameter.Version,
        ["LastModifiedDate"] = parameter.Modified.ToUnixTimeMilliseconds() / 1000.0,
        ["ARN"] = $"arn:aws:ssm:{region}:{LocalAws.Account}:parameter/{name.TrimStart('/')}",
        ["DataType"] = "text",
    };

    private static async Task ErrorAsync(HttpContext context, string type, string message)
    {
        context.Response.StatusCode = StatusCodes.Status400BadRequest;
        context.Response.Headers["x-amzn-ErrorType"] = type;
        await context.Response.WriteAsync(new JsonObject { ["__type"] = type, ["message"] = message }.ToJsonString(), context.RequestAborted);
    }

    private sealed record Parameter(string Value, string Type, long Version, DateTimeOffset Modified);
}
