using System.Net.Http.Headers;
using System.Text;
using MongoDB.Bson;

namespace Conduit.Tests.Mongo;

/// <summary>Shorthands for the MongoDB REST routes.</summary>
public static class MongoApi
{
    /// <summary>POSTs <paramref name="json"/> to <c>…/mongodb/{database}/{collection}/{operation}</c> (no collection segment when it is null).</summary>
    public static Task<HttpResponseMessage> MongoAsync(this HttpClient client, string projectRef, string database, string? collection, string operation, string json = "{}")
    {
        var path = collection is null
            ? $"/api/platform/projects/{projectRef}/mongodb/{Uri.EscapeDataString(database)}/{operation}"
            : $"/api/platform/projects/{projectRef}/mongodb/{Uri.EscapeDataString(database)}/{Uri.EscapeDataString(collection)}/{operation}";
        var content = new StringContent(json, Encoding.UTF8);
        content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        return client.PostAsync(path, content);
    }

    /// <summary>Asserts a 200 and parses the canonical Extended JSON answer.</summary>
    public static async Task<BsonDocument> OkAsync(this Task<HttpResponseMessage> call)
    {
        using var response = await call;
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.IsSuccessStatusCode, $"expected 200, got {(int)response.StatusCode}: {text}");
        Assert.Equal("application/json", response.Content.Headers.ContentType?.MediaType);
        return BsonDocument.Parse(text);
    }

    /// <summary>The raw answer text, for asserting its Extended JSON form.</summary>
    public static async Task<string> TextAsync(this Task<HttpResponseMessage> call)
    {
        using var response = await call;
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.IsSuccessStatusCode, $"expected 200, got {(int)response.StatusCode}: {text}");
        return text;
    }
}
