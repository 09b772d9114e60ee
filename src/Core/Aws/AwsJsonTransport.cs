using System.Net.Http.Headers;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;

namespace IdentityReplicator.Core.Aws;

/// <summary>
/// The AWS JSON protocol (1.0/1.1): <c>POST /</c> with <c>X-Amz-Target: Prefix.Operation</c>, a JSON body in and
/// out, errors as <c>__type</c>. One instance per service endpoint; serialization is source-generated (AOT-safe).
/// </summary>
internal sealed class AwsJsonTransport
{
    private readonly HttpClient _http;
    private readonly Uri _endpoint;
    private readonly string _targetPrefix;
    private readonly MediaTypeHeaderValue _contentType;
    private readonly Func<AwsErrorInfo, Exception> _errorFactory;

    public AwsJsonTransport(HttpClient http, Uri endpoint, string targetPrefix, string jsonVersion, Func<AwsErrorInfo, Exception> errorFactory)
    {
        _http = http;
        _endpoint = endpoint;
        _targetPrefix = targetPrefix;
        _contentType = new MediaTypeHeaderValue($"application/x-amz-json-{jsonVersion}");
        _errorFactory = errorFactory;
    }

    public Uri Endpoint => _endpoint;

    public async Task<TResponse> SendAsync<TRequest, TResponse>(
        string operation,
        TRequest request,
        JsonTypeInfo<TRequest> requestType,
        JsonTypeInfo<TResponse> responseType,
        CancellationToken cancellationToken)
        where TResponse : new()
    {
        using var content = new ByteArrayContent(JsonSerializer.SerializeToUtf8Bytes(request, requestType));
        content.Headers.ContentType = _contentType;
        using var message = new HttpRequestMessage(HttpMethod.Post, _endpoint) { Content = content };
        message.Headers.TryAddWithoutValidation("X-Amz-Target", $"{_targetPrefix}.{operation}");

        using var response = await _http.SendAsync(message, HttpCompletionOption.ResponseContentRead, cancellationToken);
        var body = await response.Content.ReadAsByteArrayAsync(cancellationToken);
        if (!response.IsSuccessStatusCode)
        {
            throw _errorFactory(AwsErrorReader.ReadJson(response.StatusCode, response.Headers, body) with { Operation = operation });
        }

        if (body.Length == 0)
        {
            return new TResponse();
        }

        return JsonSerializer.Deserialize(body, responseType) ?? new TResponse();
    }
}
