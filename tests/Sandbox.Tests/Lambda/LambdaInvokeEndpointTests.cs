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
            var json = JsonNode.Parse(input.Span)!;
            json["response"] = new JsonObject { ["seen"] = true };
            return Task.FromResult<ReadOnlyMemory<byte>>(Encoding.UTF8.GetBytes(json.ToJsonString()));
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

    [Theory]
    [InlineData("lone-surrogate")]
    [InlineData("invalid-utf8")]
    [InlineData("duplicate-keys")]
    public async Task Invoke_FunctionEchoesItsPayload_AnswersWithTheSameBytes(string kind)
    {
        // The endpoint hosts the Replicator for the emulator's triggers: it must hand the function the bytes Cognito
        // sent and answer with the bytes the function returned, not a re-serialization that can fail or differ.
        var body = kind switch
        {
            "lone-surrogate" => Encoding.UTF8.GetBytes("{ \"triggerSource\": \"PostConfirmation_ConfirmSignUp\", \"userName\": \"al\\ud800ice\" }"),
            "invalid-utf8" => [.. Encoding.UTF8.GetBytes("{ \"triggerSource\": \"PostConfirmation_ConfirmSignUp\", \"userName\": \"al"), 0xFF, .. Encoding.UTF8.GetBytes("ice\" }")],
            _ => Encoding.UTF8.GetBytes("{ \"triggerSource\": \"PostConfirmation_ConfirmSignUp\", \"userName\": \"alice\", \"userName\": \"bob\" }"),
        };
        await using var endpoint = await LambdaInvokeEndpoint.StartAsync(Functions((i, _) => Task.FromResult(i)), CancellationToken.None);
        using var http = new HttpClient { BaseAddress = endpoint.Url };
        using var content = new ByteArrayContent(body);
        content.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue("application/json");

        using var response = await http.PostAsync("2015-03-31/functions/fn/invocations", content);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.False(response.Headers.Contains("X-Amz-Function-Error"));
        Assert.Equal(body, await response.Content.ReadAsByteArrayAsync());
    }

    private static Dictionary<string, Func<ReadOnlyMemory<byte>, CancellationToken, Task<ReadOnlyMemory<byte>>>> Functions(Func<ReadOnlyMemory<byte>, CancellationToken, Task<ReadOnlyMemory<byte>>> fn) =>
        new() { ["fn"] = fn };
}
