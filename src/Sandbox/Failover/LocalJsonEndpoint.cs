using System.Text.Json.Nodes;
using IdentityReplicator.Sandbox.Capacity;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;

namespace IdentityReplicator.Sandbox.Failover;

/// <summary>
/// What the sandbox's JSON 1.1 services share (SSM, Secrets Manager, KMS): one <c>POST /</c>, the operation named by
/// <c>X-Amz-Target: &lt;prefix&gt;&lt;Op&gt;</c>, a JSON object in and out, and errors as AWS sends them — status 400,
/// <c>x-amzn-ErrorType</c> and a body with <c>__type</c> and the message. A service says which operations it serves in
/// <see cref="Handle"/> and refuses one with a <see cref="LocalFault"/>.
/// </summary>
public abstract class LocalJsonEndpoint : LocalAwsEndpoint
{
    /// <summary>The target prefix, e.g. <c>AmazonSSM.</c>.</summary>
    protected abstract string TargetPrefix { get; }

    /// <summary>The service's name in the sandbox's own refusals ("The sandbox's SSM does not implement …").</summary>
    protected abstract string ServiceName { get; }

    /// <summary>The error body's message field as the service spells it (<c>message</c> or <c>Message</c>).</summary>
    protected virtual string MessageField => "message";

    /// <summary>Starts serving on 127.0.0.1.</summary>
    protected Task ListenJsonAsync(CancellationToken cancellationToken) => ListenAsync(app => app.MapPost("/", HandleAsync), cancellationToken);

    /// <summary>Answers one operation for the Region the request was signed for; throws <see cref="LocalFault"/> to refuse.</summary>
    protected abstract JsonObject Handle(string operation, string region, JsonObject request);

    /// <summary>The refusal of an operation the sandbox does not serve.</summary>
    private protected LocalFault Unsupported(string operation) => new(400, "InvalidAction", $"The sandbox's {ServiceName} does not implement {TargetPrefix}{operation}.");

    private async Task HandleAsync(HttpContext context)
    {
        var (captured, request) = await ReceiveJsonAsync(context, "application/x-amz-json-1.1");
        JsonObject reply;
        try
        {
            var target = captured.Target ?? string.Empty;
            if (!target.StartsWith(TargetPrefix, StringComparison.Ordinal))
            {
                throw new LocalFault(400, "InvalidAction", $"The sandbox's {ServiceName} does not implement {captured.Target}.");
            }

            reply = Handle(target[TargetPrefix.Length..], captured.Region, request ?? throw new LocalFault(400, "SerializationException", "The request body is not a JSON object."));
        }
        catch (LocalFault fault)
        {
            context.Response.StatusCode = fault.Status;
            context.Response.Headers["x-amzn-ErrorType"] = fault.Code;
            await context.Response.WriteAsync(new JsonObject { ["__type"] = fault.Code, [MessageField] = fault.Message }.ToJsonString(), context.RequestAborted);
            return;
        }

        await context.Response.WriteAsync(reply.ToJsonString(), context.RequestAborted);
    }
}
