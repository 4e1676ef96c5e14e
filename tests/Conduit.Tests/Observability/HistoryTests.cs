using System.Net;
using Conduit.Secrets;
using Conduit.Tests.Infrastructure;
using Conduit.Tests.Migrations;
using Npgsql;

namespace Conduit.Tests.Observability;

/// <summary>Each active project's figures reach <c>platform.database_metrics</c> in batches, and survive a platform store outage.</summary>
public sealed class HistoryTests
{
    [Fact]
    public async Task History_ActiveProject_WrittenEachIntervalThroughRecordDatabaseMetric()
    {
        await using var platform = await PlatformDatabase.CreateAsync();
        await using var silo = await ConduitSilo.StartAsync(new Dictionary<string, string?>
        {
            ["DATABASE_URL"] = platform.ConnectionString,
            ["PG_META_CRYPTO_KEY"] = CryptoKey.Generate().ToBase64(),
            ["Conduit:History:FlushInterval"] = "00:00:01",
            ["Conduit:IdleCleanup:CheckInterval"] = "00:00:00.250",
        });
        var projectRef = SiloApi.NewRef("hi");
        await silo.CreateProjectWithPostgresAsync(projectRef, "PRO");
        for (var i = 0; i < 5; i++)
        {
            Assert.Equal(HttpStatusCode.OK, (await silo.Admin.QueryAsync(projectRef, "select 1")).StatusCode);
        }

        await (await silo.Admin.QueryAsync(projectRef, "select broken(")).AssertProblemAsync(HttpStatusCode.UnprocessableEntity, "BACKEND_ERROR");

        await Eventually.TrueAsync(
            async () => await platform.ScalarAsync<double>("select coalesce(sum(value), 0) from platform.database_metrics where project_ref = $1 and metric_name = 'queries'", projectRef) == 6,
            TimeSpan.FromSeconds(20),
            "six operations recorded as history");
        await Eventually.TrueAsync(
            async () => await platform.ScalarAsync<double>("select coalesce(max(value), 0) from platform.database_metrics where project_ref = $1 and metric_name = 'connections_idle'", projectRef) >= 1,
            TimeSpan.FromSeconds(20),
            "the pool sample recorded as history");
        Assert.Equal(1, await platform.ScalarAsync<double>("select sum(value) from platform.database_metrics where project_ref = $1 and metric_name = 'errors'", projectRef));
        Assert.Equal("PRO", await platform.ScalarAsync<string>("select distinct labels->>'tier' from platform.database_metrics where project_ref = $1", projectRef));
        Assert.Equal("postgresql", await platform.ScalarAsync<string>("select distinct database_type from platform.database_metrics where project_ref = $1", projectRef));
        var stats = await platform.RowsAsync("select metric_name from platform.get_database_stats($1) order by 1", projectRef);
        Assert.Equal<object?>(["connections_active", "connections_idle", "errors", "pool_waiting", "queries", "query_time_avg_ms", "query_time_max_ms"], stats.Select(r => r[0]).ToList());
        var scrape = await silo.Http.GetStringAsync("/metrics");
        Assert.True(MetricsText.Value(scrape, "conduit_history_rows_written_total") >= 7);
    }

    [Fact]
    public async Task History_PlatformStoreDown_DataCallsWorkAndHistoryCatchesUpOrCountsDrops()
    {
        await using var platform = await PlatformDatabase.CreateAsync();
        await using var forwarder = TcpForwarder.ToPostgres(platform.ConnectionString);
        forwarder.Start();
        await using var silo = await ConduitSilo.StartAsync(new Dictionary<string, string?>
        {
            ["DATABASE_URL"] = new NpgsqlConnectionStringBuilder(platform.ConnectionString) { Port = forwarder.Port, Timeout = 2 }.ConnectionString,
            ["PG_META_CRYPTO_KEY"] = CryptoKey.Generate().ToBase64(),
            ["Conduit:History:FlushInterval"] = "00:00:01",
            ["Conduit:History:MaxBufferedRows"] = "10",
        });
        var projectRef = SiloApi.NewRef("ho");
        await silo.CreateProjectWithPostgresAsync(projectRef, "STARTER");
        Assert.Equal(HttpStatusCode.OK, (await silo.Admin.QueryAsync(projectRef, "select 1")).StatusCode);

        forwarder.Stop();
        var downSince = DateTime.UtcNow;
        for (var i = 0; i < 4; i++)
        {
            Assert.Equal(HttpStatusCode.OK, (await silo.Admin.QueryAsync(projectRef, "select 2")).StatusCode);
            await Task.Delay(1000);
        }

        string scrape = string.Empty;
        await Eventually.TrueAsync(
            async () => MetricsText.Value(scrape = await silo.Http.GetStringAsync("/metrics"), "conduit_history_rows_dropped_total", "reason=\"buffer_full\"") > 0,
            TimeSpan.FromSeconds(20),
            "rows past the buffer bound are dropped and counted");
        Assert.True(MetricsText.Value(scrape, "conduit_history_write_failures_total") > 0);
        Assert.True(MetricsText.Value(scrape, "conduit_history_rows_pending") <= 10);
        forwarder.Start();
        var restoredAt = DateTime.UtcNow;

        await Eventually.TrueAsync(
            async () => await platform.ScalarAsync<long>("select count(*) from platform.database_metrics where project_ref = $1 and time > $2 and time < $3", projectRef, downSince, restoredAt) > 0,
            TimeSpan.FromSeconds(30),
            "rows sampled while the store was down are written with their own time once it is back");
        Assert.Contains(silo.Logs.Lines, l => l.Contains("Could not write metric history to the platform store", StringComparison.Ordinal));
    }
}
