using Conduit.Errors;
using Conduit.Postgres;
using Conduit.Projects;
using Conduit.Secrets;
using Conduit.Tests.Infrastructure;
using Conduit.Tests.Migrations;

namespace Conduit.Tests.Resilience;

/// <summary>With the PostgreSQL platform store, pool events, breaker transitions, rejections and health land in the platform tables.</summary>
public sealed class ConnectionLogTests
{
    [Fact]
    public async Task BreakerAndPoolEvents_WithPlatformStore_WrittenAsConnectionLogRows()
    {
        await using var platform = await PlatformDatabase.CreateAsync();
        await using var silo = await ConduitSilo.StartAsync(new Dictionary<string, string?>
        {
            ["DATABASE_URL"] = platform.ConnectionString,
            ["PG_META_CRYPTO_KEY"] = CryptoKey.Generate().ToBase64(),
            ["Conduit:CircuitBreaker:PostgreSql:MinimumThroughput"] = "2",
            ["Conduit:CircuitBreaker:PostgreSql:BreakDuration"] = "00:00:30",
        });
        var projectRef = SiloApi.NewRef("log");
        await silo.CreateProjectAsync(projectRef, "STARTER");
        var tenantDatabase = await TestServers.CreateDatabaseAsync();
        await using var proxy = TcpForwarder.ToPostgres(tenantDatabase);
        proxy.Start();
        await silo.AddDatabaseAsync(projectRef, "postgresql", new Npgsql.NpgsqlConnectionStringBuilder(tenantDatabase) { Port = proxy.Port }.ConnectionString);
        var grain = silo.Grains.GetGrain<IProjectConnectionGrain>(projectRef);
        await grain.PostgresQueryAsync(new PgCommand("select 1"));
        await grain.CheckHealthAsync();

        proxy.Mode = TcpForwarder.FaultMode.Reset;
        proxy.ResetOpenConnections();
        for (var i = 0; i < 6; i++)
        {
            await Assert.ThrowsAsync<ConduitException>(() => grain.PostgresQueryAsync(new PgCommand("select 1")));
        }

        await Eventually.TrueAsync(
            async () => await platform.ScalarAsync<long>("select count(distinct event_type) from platform.database_connection_logs where project_ref = $1 and event_type in ('pool_opened', 'breaker_opened', 'rejection', 'error')", projectRef) == 4,
            TimeSpan.FromSeconds(15),
            "pool_opened, breaker_opened, rejection and error rows");
        var rejection = await platform.ScalarAsync<string>("select details->>'code' from platform.database_connection_logs where project_ref = $1 and event_type = 'rejection' limit 1", projectRef);
        var health = await platform.ScalarAsync<string>("select health_status from platform.database_health_overview where project_ref = $1", projectRef);
        var everything = await platform.ScalarAsync<string>("select string_agg(message || ' ' || details::text, ' ') from platform.database_connection_logs where project_ref = $1", projectRef);

        Assert.Equal(ErrorCodes.CircuitOpen, rejection);
        Assert.Equal("healthy", health);
        Assert.DoesNotContain(TestServers.PostgresPassword, everything, StringComparison.Ordinal);
    }
}
