using System.Net;
using Conduit.Tests.Infrastructure;

namespace Conduit.Tests.Observability;

/// <summary>The product's metrics at <c>/metrics</c> and <c>/api/platform/metrics</c>, driven by real PostgreSQL and Redis traffic.</summary>
public sealed class MetricsEndpointTests(MetricsSiloFixture fixture) : IClassFixture<MetricsSiloFixture>
{
    private readonly ConduitSilo _silo = fixture.Silo;

    [Fact]
    public async Task Metrics_AfterOperations_ExposesProductFamiliesByProjectTypeAndTier()
    {
        var projectRef = SiloApi.NewRef("m");
        await _silo.CreateProjectWithPostgresAsync(projectRef, "STARTER");
        Assert.Equal(HttpStatusCode.OK, (await _silo.Admin.QueryAsync(projectRef, "select 1")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await _silo.Admin.QueryAsync(projectRef, "select 2")).StatusCode);
        await (await _silo.Admin.QueryAsync(projectRef, "select * from no_such_table")).AssertProblemAsync(HttpStatusCode.UnprocessableEntity, "BACKEND_ERROR");
        var project = $"project=\"{projectRef}\"";
        const string type = "database_type=\"postgresql\"";
        const string tier = "tier=\"STARTER\"";

        string text = string.Empty;
        await Eventually.TrueAsync(
            async () => MetricsText.Value(text = await ScrapeAsync(), "db_active_connections", project, type, tier) >= 1,
            TimeSpan.FromSeconds(20),
            "the grain's pool sample should reach db_active_connections");

        Assert.Equal(3, MetricsText.Value(text, "db_queries_total", project, type, tier));
        Assert.Equal(1, MetricsText.Value(text, "db_errors_total", project, type, tier, "code=\"BACKEND_ERROR\""));
        Assert.NotNull(MetricsText.Value(text, "db_pool_size", project, type, tier, "status=\"active\""));
        Assert.True(MetricsText.Value(text, "db_pool_size", project, type, tier, "status=\"idle\"") >= 1);
        Assert.Equal(0, MetricsText.Value(text, "db_pool_size", project, type, tier, "status=\"waiting\""));
        Assert.Equal((double)Conduit.Options.TierDefaults.Starter.MaxPoolSize, MetricsText.Value(text, "db_pool_max_connections", project, type, tier));
        Assert.Equal(0, MetricsText.Value(text, "circuit_breaker_state", project, type, tier, "database=\"default\""));
        Assert.True(MetricsText.Value(text, "db_query_duration_seconds_count", type, tier) >= 3);
        Assert.True(MetricsText.Value(text, "db_connection_acquire_duration_seconds_count", type, tier) >= 3);
        Assert.Empty(MetricsText.Samples(text, "db_query_duration_seconds_bucket", project));
        Assert.NotEmpty(MetricsText.Samples(text, "db_query_duration_seconds_bucket", type, tier, "le=\"0.0005\""));
        Assert.NotEmpty(MetricsText.Samples(text, "db_query_duration_seconds_bucket", type, tier, "le=\"120\""));
    }

    [Fact]
    public async Task Metrics_Exposition_PassesPromtoolCheckAndIncludesOrleansAndNpgsqlMeters()
    {
        var projectRef = SiloApi.NewRef("m");
        await _silo.CreateProjectWithPostgresAsync(projectRef);
        await _silo.AddDatabaseAsync(projectRef, "redis", TestServers.Redis);
        Assert.Equal(HttpStatusCode.OK, (await _silo.Admin.QueryAsync(projectRef, "select 1")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await _silo.Admin.RedisAsync(projectRef, "SET", "k", "v")).StatusCode);

        string text = string.Empty;
        await Eventually.TrueAsync(
            async () => MetricsText.Value(text = await ScrapeAsync(), "db_active_connections", $"project=\"{projectRef}\"", "database_type=\"redis\"") is not null,
            TimeSpan.FromSeconds(20),
            "both pools sampled");

        await PromTool.AssertValidExpositionAsync(text);
        var families = MetricsText.Families(text);
        Assert.Contains(families, f => f.StartsWith("microsoft_orleans_", StringComparison.Ordinal));
        Assert.Contains(families, f => f.StartsWith("npgsql_", StringComparison.Ordinal));
        Assert.DoesNotContain("pool_name", text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Metrics_BothRoutes_ServeTheExpositionWithoutCredentials()
    {
        var metrics = await _silo.Http.GetAsync("/metrics");
        var platform = await _silo.Http.GetAsync("/api/platform/metrics");

        Assert.Equal(HttpStatusCode.OK, metrics.StatusCode);
        Assert.Equal(HttpStatusCode.OK, platform.StatusCode);
        Assert.Equal("text/plain", metrics.Content.Headers.ContentType?.MediaType);
        var families = MetricsText.Families(await platform.Content.ReadAsStringAsync());
        Assert.Contains("db_queries_total", families);
        Assert.Contains("db_query_duration_seconds", families);
        Assert.Equal(MetricsText.Families(await metrics.Content.ReadAsStringAsync()).Where(f => f.StartsWith("db_", StringComparison.Ordinal)).Order(), families.Where(f => f.StartsWith("db_", StringComparison.Ordinal)).Order());
    }

    [Fact]
    public async Task MetricsAndHealth_AfterTrafficAndFailures_NeverExposeSecrets()
    {
        var projectRef = SiloApi.NewRef("m");
        var projectKey = await _silo.CreateProjectAsync(projectRef, "PRO");
        var connectionString = await TestServers.CreateDatabaseAsync();
        await _silo.AddDatabaseAsync(projectRef, "postgresql", connectionString);
        await _silo.AddDatabaseAsync(projectRef, "redis", TestServers.Redis);
        using var tenant = _silo.WithKey(projectKey);
        Assert.Equal(HttpStatusCode.OK, (await tenant.QueryAsync(projectRef, "select 1")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await tenant.RedisAsync(projectRef, "GET", "k")).StatusCode);
        await (await tenant.QueryAsync(projectRef, "select broken(")).AssertProblemAsync(HttpStatusCode.UnprocessableEntity, "BACKEND_ERROR");
        await Eventually.TrueAsync(async () => (await ScrapeAsync()).Contains($"project=\"{projectRef}\",database_type=\"redis\"", StringComparison.Ordinal), TimeSpan.FromSeconds(20));

        var texts = new[]
        {
            await ScrapeAsync(),
            await _silo.Http.GetStringAsync("/api/platform/metrics"),
            await (await _silo.Http.GetAsync("/api/platform/health")).Content.ReadAsStringAsync(),
            await (await _silo.Admin.GetAsync($"/api/platform/projects/{projectRef}/health")).Content.ReadAsStringAsync(),
        };

        foreach (var text in texts)
        {
            Assert.DoesNotContain(TestServers.PostgresPassword, text, StringComparison.Ordinal);
            Assert.DoesNotContain(TestServers.RedisPassword, text, StringComparison.Ordinal);
            Assert.DoesNotContain(connectionString, text, StringComparison.Ordinal);
            Assert.DoesNotContain("Password=", text, StringComparison.OrdinalIgnoreCase);
            Assert.DoesNotContain(projectKey, text, StringComparison.Ordinal);
            Assert.DoesNotContain(_silo.AdminKey, text, StringComparison.Ordinal);
        }
    }

    private Task<string> ScrapeAsync() => _silo.Http.GetStringAsync("/metrics");
}
