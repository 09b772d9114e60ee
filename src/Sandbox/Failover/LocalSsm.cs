using System.Collections.Concurrent;
using System.Text.Json.Nodes;
using IdentityReplicator.Sandbox.Capacity;

namespace IdentityReplicator.Sandbox.Failover;

/// <summary>
/// AWS Systems Manager Parameter Store on 127.0.0.1 over the real JSON 1.1 protocol (<c>AmazonSSM.&lt;Op&gt;</c>),
/// parameters kept per Region (the Region a request was signed for). Operations: GetParameter, GetParameters,
/// PutParameter. SecureString values are kept as given (no KMS).
/// </summary>
public sealed class LocalSsm : LocalJsonEndpoint
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

    protected override string TargetPrefix => "AmazonSSM.";

    protected override string ServiceName => "SSM";

    public static async Task<LocalSsm> StartAsync(TimeProvider time, CancellationToken cancellationToken)
    {
        var ssm = new LocalSsm(time);
        await ssm.ListenJsonAsync(cancellationToken);
        return ssm;
    }

    public void Put(string region, string name, string value, string type = "String") =>
        _parameters.AddOrUpdate((region, name), _ => new Parameter(value, type, 1, _time.GetUtcNow()), (_, old) => new Parameter(value, type, old.Version + 1, _time.GetUtcNow()));

    public string? Get(string region, string name) => _parameters.TryGetValue((region, name), out var p) ? p.Value : null;

    protected override JsonObject Handle(string operation, string region, JsonObject request)
    {
        switch (operation)
        {
            case "GetParameter":
                var name = request["Name"]?.GetValue<string>() ?? string.Empty;
                return _parameters.TryGetValue((region, name), out var one)
                    ? new JsonObject { ["Parameter"] = Describe(region, name, one) }
                    : throw new LocalFault(400, "ParameterNotFound", $"Parameter {name} not found.");

            case "GetParameters":
                var names = (request["Names"] as JsonArray ?? []).Select(n => n!.GetValue<string>()).ToList();
                if (names.Count is 0 or > 10)
                {
                    throw new LocalFault(400, "ValidationException", "Names must hold between 1 and 10 names.");
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

                return new JsonObject { ["Parameters"] = found, ["InvalidParameters"] = invalid };

            case "PutParameter":
                var putName = request["Name"]?.GetValue<string>();
                var value = request["Value"]?.GetValue<string>();
                if (string.IsNullOrEmpty(putName) || value is null)
                {
                    throw new LocalFault(400, "ValidationException", "Name and Value are required.");
                }

                var overwrite = request["Overwrite"]?.GetValue<bool>() == true;
                var type = request["Type"]?.GetValue<string>() ?? "String";
                if (_parameters.TryGetValue((region, putName), out var existing) && !overwrite)
                {
                    throw new LocalFault(400, "ParameterAlreadyExists", "The parameter already exists. To overwrite this value, set the overwrite option in the request to true.");
                }

                if (existing is null || existing.Value != value)
                {
                    Interlocked.Increment(ref _writes);
                }

                Put(region, putName, value, existing?.Type ?? type);
                return new JsonObject { ["Version"] = _parameters[(region, putName)].Version, ["Tier"] = "Standard" };

            default:
                throw Unsupported(operation);
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

    private sealed record Parameter(string Value, string Type, long Version, DateTimeOffset Modified);
}
