using System.Net.Http.Json;
using System.Text;

namespace Conduit.Tests.Postgres;

/// <summary>Request shorthands for the PostgreSQL routes.</summary>
internal static class PgHttp
{
    public static Task<HttpResponseMessage> TransactionAsync(this HttpClient client, string projectRef, object body) =>
        client.PostAsJsonAsync($"/api/platform/projects/{projectRef}/postgresql/transaction", body);

    /// <summary>Posts <paramref name="json"/> verbatim, for numbers no CLR type would keep exactly.</summary>
    public static Task<HttpResponseMessage> PostRawAsync(this HttpClient client, string projectRef, string route, string json) =>
        client.PostAsync($"/api/platform/projects/{projectRef}/postgresql/{route}", new StringContent(json, Encoding.UTF8, "application/json"));
}
