using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json.Nodes;
using IdentityReplicator.Sandbox.Lambda;

namespace IdentityReplicator.Sandbox.Tests.Lambda;

public sealed class LambdaInvokeEndpointTests
{
    [Fact]
    public async Task Invoke_KnownFunction_AnswersWithItsOutput()
    {
        await using var endpoint = await LambdaInvokeEndpoint.StartAsync(Functions((input, _) =>
        {
            input!["response"] = new JsonObject { ["seen"] = true };
            return Task.FromResult<JsonNode?>(input);
        }), CancellationToken.None);
        using var http = new HttpClient { BaseAddress = endpoint.Url };

        using var response = await http.PostAsJsonAsync("2015-03-31/functions/fn/invocations", new JsonObject { ["triggerSource"] = "x" });
        var body = JsonNode.Parse(await response.Content.ReadAsStringAsync());

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.True(body!["response"]!["seen"]!.GetValue<bool>());
        Assert.False(response.Headers.Contains("X-Amz-Function-Error"));
        Assert.Equal("127.0.0.1", endpoint.Url.Host);
    }

    [Fact]
    public async Task Invoke_FunctionThrows_AnswersLikeLambdaWithAFunctionError()
    {
        await using var endpoint = await LambdaInvokeEndpoint.StartAsync(Functions((_, _) => throw new InvalidOperationException("no")), CancellationToken.None);
        using var http = new HttpClient { BaseAddress = endpoint.Url };

        using var response = await http.PostAsJsonAsync("2015-03-31/functions/fn/invocations", new JsonObject());

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("Unhandled", response.Headers.GetValues("X-Amz-Function-Error").Single());
        Assert.Equal("InvalidOperationException", JsonNode.Parse(await response.Content.ReadAsStringAsync())!["errorType"]!.GetValue<string>());
    }

    [Fact]
    public async Task Invoke_UnknownFunction_AnswersResourceNotFound()
    {
        await using var endpoint = await LambdaInvokeEndpoint.StartAsync(Functions((i, _) => Task.FromResult(i)), CancellationToken.None);
        using var http = new HttpClient { BaseAddress = endpoint.Url };

        using var response = await http.PostAsJsonAsync("2015-03-31/functions/other/invocations", new JsonObject());

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Equal("ResourceNotFoundException", response.Headers.GetValues("x-amzn-ErrorType").Single());
    }

    [Fact]
    public async Task Invoke_BodyIsNotJson_AnswersInvalidRequestContent()
    {
        await using var endpoint = await LambdaInvokeEndpoint.StartAsync(Functions((i, _) => Task.FromResult(i)), CancellationToken.None);
        using var http = new HttpClient { BaseAddress = endpoint.Url };

        using var response = await http.PostAsync("2015-03-31/functions/fn/invocations", new StringContent("{not json", Encoding.UTF8, "application/json"));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("InvalidRequestContentException", response.Headers.GetValues("x-amzn-ErrorType").Single());
    }

    private static Dictionary<string, Func<JsonNode?, CancellationToken, Task<JsonNode?>>> Functions(Func<JsonNode?, CancellationToken, Task<JsonNode?>> fn) =>
        new() { ["fn"] = fn };
}
