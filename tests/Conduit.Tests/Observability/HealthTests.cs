using System.Net;
using Conduit.Projects;
using Conduit.Secrets;
using Conduit.Tests.Infrastructure;
using Conduit.Tests.Migrations;
using Npgsql;

namespace Conduit.Tests.Observability;

/// <summary>Silo health (silo, membership, platform store) and per-project health recorded in the platform store.</summary>
public sealed class HealthTests(MetricsSiloFixture fixture) : IClassFixture<MetricsSiloFixture>
{
    [Fact]
    public async Task PlatformHealth_EmbeddedSilo_ReportsActiveSiloItsMembershipAndStore()
    {
        var response = await fixture.Silo.Http.GetAsync("/api/platform/health");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var body = await response.JsonAsync();
        Assert.Equal("healthy", body.GetProperty("status").GetString());
        var silo = body.GetProperty("silo");
        Assert.Equal("active", silo.GetProperty("status").GetString());
        var cluster = body.GetProperty("cluster");
        Assert.Equal(1, cluster.GetProperty("activeSilos").GetInt32());
        var member = Assert.Single(cluster.GetProperty("members").EnumerateArray());
        Assert.Equal(silo.GetProperty("address").GetString(), member.GetProperty("address").GetString());
        Assert.Equal("active", member.GetProperty("status").GetString());
        Assert.Equal("memory", body.GetProperty("platformStore").GetProperty("kind").GetString());
        Assert.Equal("up", body.GetProperty("platformStore").GetProperty("status").GetString());
    }

    [Fact]
    public async Task ProjectHealth_WithPlatformStore_ShownInDatabaseHealthOverviewWithoutSecrets()
    {
        await using var platform = await PlatformDatabase.CreateAsync();
        await using var silo = await ConduitSilo.StartAsync(new Dictionary<string, string?>
        {
            ["DATABASE_URL"] = platform.ConnectionString,
            ["PG_META_CRYPTO_KEY"] = CryptoKey.Generate().ToBase64(),
            ["Conduit:CircuitBreaker:PostgreSql:MinimumThroughput"] = "100",
        });
        var projectRef = SiloApi.NewRef("h");
        await silo.CreateProjectWithPostgresAsync(projectRef, "PRO");
        await silo.AddDatabaseAsync(projectRef, "redis", TestServers.Redis);
        var broken = await TestServers.CreateDatabaseAsync();
        await using var proxy = TcpForwarder.ToPostgres(broken);
        proxy.Start();
        await silo.AddDatabaseAsync(projectRef, "postgresql", new NpgsqlConnectionStringBuilder(broken) { Port = proxy.Port, Timeout = 2 }.ConnectionString, "reports");
        proxy.Stop();

        var response = await silo.Admin.GetAsync($"/api/platform/projects/{projectRef}/health");
        Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
        Assert.Equal("unhealthy", (await response.JsonAsync()).GetProperty("status").GetString());

        await Eventually.TrueAsync(
            async () => await platform.ScalarAsync<long>("select count(*) from platform.database_health_overview where project_ref = $1 and last_health_check is not null", projectRef) == 3,
            TimeSpan.FromSeconds(20),
            "all three databases' health recorded through update_database_health");
        var rows = await platform.RowsAsync("select database_type, name, health_status, last_response_time_ms, last_error, tier from platform.database_health_overview where project_ref = $1 order by database_type, name", projectRef);
        Assert.Equal<object?>(["postgresql", "default", "healthy"], rows[0][..3]);
        Assert.NotNull(rows[0][3]);
        Assert.Equal<object?>(["postgresql", "reports", "unhealthy"], rows[1][..3]);
        Assert.Null(rows[1][3]);
        Assert.Equal("BACKEND_UNAVAILABLE", rows[1][4]);
        Assert.Equal<object?>(["redis", "default", "healthy"], rows[2][..3]);
        Assert.All(rows, r => Assert.Equal("PRO", r[5]));
        var everything = string.Join(" ", rows.SelectMany(r => r).Select(v => v?.ToString()));
        Assert.DoesNotContain(TestServers.PostgresPassword, everything, StringComparison.Ordinal);
        Assert.DoesNotContain(TestServers.RedisPassword, everything, StringComparison.Ordinal);
        Assert.Equal(HealthStatus.Unhealthy.ToString().ToLowerInvariant(), rows[1][2]);
    }
}
