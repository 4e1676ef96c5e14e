using System.Text.Json;
using Conduit.Errors;
using Microsoft.AspNetCore.Http.Json;
using Microsoft.Extensions.Options;

namespace Conduit.Silo.Api;

/// <summary>Reads request bodies itself so malformed or oversized JSON is a coded problem naming the field, not a framework page.</summary>
public static class JsonBody
{
    /// <summary>Deserializes the body as <typeparamref name="T"/> or throws <c>INVALID_REQUEST</c> / <c>PAYLOAD_TOO_LARGE</c>.</summary>
    public static async Task<T> ReadAsync<T>(HttpContext context)
        where T : class
    {
        ArgumentNullException.ThrowIfNull(context);
        if (context.Request.ContentType is { } contentType && !contentType.Contains("json", StringComparison.OrdinalIgnoreCase))
        {
            throw new ConduitException(ErrorCodes.InvalidRequest, "body: Content-Type must be application/json.");
        }

        var options = context.RequestServices.GetRequiredService<IOptions<JsonOptions>>().Value.SerializerOptions;
        try
        {
            var value = await JsonSerializer.DeserializeAsync<T>(context.Request.Body, options, context.RequestAborted).ConfigureAwait(false);
            return value ?? throw new ConduitException(ErrorCodes.InvalidRequest, "body: a JSON object is required.");
        }
        catch (JsonException e)
        {
            var where = string.IsNullOrEmpty(e.Path) || e.Path == "$" ? "body" : e.Path.TrimStart('$', '.');
            throw new ConduitException(ErrorCodes.InvalidRequest, $"{where}: the request is not valid JSON for this route (line {e.LineNumber + 1}, byte {e.BytePositionInLine}).");
        }
        catch (BadHttpRequestException e) when (e.StatusCode == StatusCodes.Status413PayloadTooLarge)
        {
            throw new ConduitException(ErrorCodes.PayloadTooLarge, $"body: the request is larger than the limit of {context.Features.Get<Microsoft.AspNetCore.Http.Features.IHttpMaxRequestBodySizeFeature>()?.MaxRequestBodySize} bytes.");
        }
    }
}
