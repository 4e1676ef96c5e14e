using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using Npgsql;

namespace Conduit.Tests.Infrastructure;

/// <summary>Shorthands for driving a silo's REST API in tests.</summary>
public static class SiloApi
{
    public static string NewRef(string prefix = "p") => $"{prefix}-{Guid.NewGuid():N}"[..Math.Min(prefix.Length + 17, 63)];

    /// <summary>Creates a project and returns its API key.</summary>
    public static async Task<string> CreateProjectAsync(this ConduitSilo silo, string projectRef, string tier = "PRO")
    {
        var response = await silo.Admin.PostAsJsonAsync("/api/platform/projects", new { @ref = projectRef, tier });
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        var body = await response.Content.ReadFromJsonAsync<JsonElement>();
        return body.GetProperty("apiKey").GetString()!;
    }

    public static async Task AddDatabaseAsync(this ConduitSilo silo, string projectRef, string type, string connectionString, string? name = null)
    {
        var response = await silo.Admin.PostAsJsonAsync($"/api/platform/projects/{projectRef}/databases", new { type, connectionString, name });
        Assert.True(response.StatusCode == HttpStatusCode.Created, await response.Content.ReadAsStringAsync());
    }

    /// <summary>Creates a project with a fresh PostgreSQL database; returns the database's name.</summary>
    public static async Task<string> CreateProjectWithPostgresAsync(this ConduitSilo silo, string projectRef, string tier = "PRO")
    {
        await silo.CreateProjectAsync(projectRef, tier);
        var connectionString = await TestServers.CreateDatabaseAsync();
        await silo.AddDatabaseAsync(projectRef, "postgresql", connectionString);
        return new NpgsqlConnectionStringBuilder(connectionString).Database!;
    }

    public static Task<HttpResponseMessage> QueryAsync(this HttpClient client, string projectRef, string sql, params object?[] parameters) =>
        client.PostAsJsonAsync($"/api/platform/projects/{projectRef}/postgresql/query", new { sql, parameters });

    public static Task<HttpResponseMessage> RedisAsync(this HttpClient client, string projectRef, string command, params object[] args) =>
        client.PostAsJsonAsync($"/api/platform/projects/{projectRef}/redis", new { command, args });

    public static async Task<JsonElement> JsonAsync(this HttpResponseMessage response) =>
        await response.Content.ReadFromJsonAsync<JsonElement>();

    /// <summary>Asserts a problem response with <paramref name="code"/> and returns it.</summary>
    public static async Task<JsonElement> AssertProblemAsync(this HttpResponseMessage response, HttpStatusCode status, string code)
    {
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == status, $"expected {(int)status} {code}, got {(int)response.StatusCode}: {text}");
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var body = JsonDocument.Parse(text).RootElement;
        Assert.Equal(code, body.GetProperty("code").GetString());
        Assert.DoesNotContain("   at ", text, StringComparison.Ordinal);
        return body;
    }

    public static HttpClient WithKey(this ConduitSilo silo, string key)
    {
        var client = new HttpClient { BaseAddress = new Uri(silo.BaseUrl) };
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", key);
        return client;
    }
}
