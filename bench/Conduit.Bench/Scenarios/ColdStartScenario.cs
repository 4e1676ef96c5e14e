using System.Diagnostics;
using System.Globalization;
using Conduit.Bench.Infrastructure;
using Conduit.Bench.Measurement;
using Conduit.Bench.Reporting;
using Conduit.Projects;
using Npgsql;
using StackExchange.Redis;

namespace Conduit.Bench.Scenarios;

/// <summary>
/// <c>cold-start</c>: the first query of a tenant whose grain is not active — activation, registry read,
/// decrypting the connection string, opening the pool and the query — beside a direct driver's first
/// query on a new pool and Conduit's warm query, all measured in the same run.
/// </summary>
internal sealed class ColdStartScenario : IScenario
{
    private const string Database = "cold";
    private const string RedisKey = "bench:cold";

    public string Name => "cold-start";

    public string Summary => "first query of a never-used tenant (activation, registry, decrypt, connect): p50/p99 over 1,000 tenants";

    public async Task<ScenarioReport> RunAsync(BenchContext context, CancellationToken cancellationToken)
    {
        var tenants = context.Options.Tenants is [var n, ..] ? n : context.Quick ? 10 : 1000;
        var postgres = await context.PostgresAsync().ConfigureAwait(false);
        var redis = await context.RedisAsync().ConfigureAwait(false);
        var database = await postgres.CreateDatabaseAsync(Database).ConfigureAwait(false);
        await redis.Database.StringSetAsync(RedisKey, "v").ConfigureAwait(false);

        var setup = context.Task($"cold-start: silo, {tenants * 2:N0} tenants registered then deactivated", tenants * 2);
        var settings = new Dictionary<string, string>();
        await using var silo = await context.StartSiloAsync(Name, settings).ConfigureAwait(false);
        await using var frontend = await BenchContext.ConnectAsync(silo, Name).ConfigureAwait(false);
        var pgRefs = await silo.CreateProjectsAsync("cold-pg", tenants, "FREE", [("postgresql", database)], progress: _ => setup.Increment(1)).ConfigureAwait(false);
        var redisRefs = await silo.CreateProjectsAsync("cold-rd", tenants, "FREE", [("redis", redis.Configuration())], progress: _ => setup.Increment(1)).ConfigureAwait(false);

        // Registering a database reloads the grain (activates it): make every tenant cold again.
        await frontend.DeactivateAllAsync(TimeSpan.FromSeconds(120)).ConfigureAwait(false);
        setup.StopTask();

        var measuring = context.Task($"cold-start: {tenants:N0} first queries each way, one at a time", tenants * 4);
        var conduitPg = new LatencyRecorder();
        foreach (var projectRef in pgRefs)
        {
            var project = frontend.Conduit.Project(projectRef);
            var start = Stopwatch.GetTimestamp();
            await project.Postgres.QueryAsync("SELECT 1").ConfigureAwait(false);
            conduitPg.Record(start);

            // Not timed: give the connection back so a thousand idle pools do not pile up on the server.
            await frontend.Cluster.GetGrain<IProjectConnectionGrain>(projectRef).CloseConnectionsAsync().ConfigureAwait(false);
            measuring.Increment(1);
        }

        var conduitRedis = new LatencyRecorder();
        foreach (var projectRef in redisRefs)
        {
            var project = frontend.Conduit.Project(projectRef);
            var start = Stopwatch.GetTimestamp();
            await project.Redis.GetAsync(RedisKey).ConfigureAwait(false);
            conduitRedis.Record(start);
            await frontend.Cluster.GetGrain<IProjectConnectionGrain>(projectRef).CloseConnectionsAsync().ConfigureAwait(false);
            measuring.Increment(1);
        }

        var directPg = new LatencyRecorder();
        for (var i = 0; i < tenants; i++)
        {
            var start = Stopwatch.GetTimestamp();
            await using (var source = NpgsqlDataSource.Create(new NpgsqlConnectionStringBuilder(database) { ApplicationName = string.Create(CultureInfo.InvariantCulture, $"cold-{i}") }.ConnectionString))
            {
                await using var command = source.CreateCommand("SELECT 1");
                await command.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false);
                directPg.Record(start);
            }

            measuring.Increment(1);
        }

        var directRedis = new LatencyRecorder();
        for (var i = 0; i < tenants; i++)
        {
            var start = Stopwatch.GetTimestamp();
            await using (var multiplexer = await ConnectionMultiplexer.ConnectAsync(redis.Configuration(extra: "name=bench-cold")).ConfigureAwait(false))
            {
                await multiplexer.GetDatabase().StringGetAsync(RedisKey).ConfigureAwait(false);
                directRedis.Record(start);
            }

            measuring.Increment(1);
        }

        measuring.StopTask();

        // Warm: the same call on a tenant whose grain and pool are open.
        var warmPg = new LatencyRecorder();
        var warmRedis = new LatencyRecorder();
        var warm = frontend.Conduit.Project(pgRefs[0]);
        var warmR = frontend.Conduit.Project(redisRefs[0]);
        for (var i = 0; i < tenants + 10; i++)
        {
            var start = Stopwatch.GetTimestamp();
            await warm.Postgres.QueryAsync("SELECT 1").ConfigureAwait(false);
            if (i >= 10)
            {
                warmPg.Record(start);
            }

            start = Stopwatch.GetTimestamp();
            await warmR.Redis.GetAsync(RedisKey).ConfigureAwait(false);
            if (i >= 10)
            {
                warmRedis.Record(start);
            }
        }

        var report = new ScenarioReport(
            Name,
            "Cold start: first query of a never-used tenant",
            $"{tenants:N0} tenants with a PostgreSQL database and {tenants:N0} with a Redis database are registered, then every grain is deactivated. "
            + "Each tenant's first call (`SELECT 1`, or GET) is then timed from this frontend process, one at a time: grain activation, registry read, "
            + "AES-GCM decryption of the connection string, opening the pool (a new server connection) and the query. Beside it, in the same run: "
            + "the direct driver's first query on a brand-new pool (new NpgsqlDataSource / ConnectionMultiplexer, so also a new connection), "
            + "and Conduit's warm call on an active tenant. Ratios are to the direct cold query.");
        var table = report.AddTable(
            "cold-start",
            "First-query latency",
            new ReportColumn("database", "Database", ColumnKind.Text),
            new ReportColumn("path", "Path", ColumnKind.Text),
            new ReportColumn("samples", "Samples", ColumnKind.Count),
            new ReportColumn("p50Ms", "p50 ms", ColumnKind.Milliseconds),
            new ReportColumn("p50Ratio", "p50 × direct cold", ColumnKind.Ratio),
            new ReportColumn("p99Ms", "p99 ms", ColumnKind.Milliseconds),
            new ReportColumn("p99Ratio", "p99 × direct cold", ColumnKind.Ratio),
            new ReportColumn("maxMs", "max ms", ColumnKind.Milliseconds));
        var rows = new (string Db, string Path, LatencyStats Stats, LatencyStats Baseline)[]
        {
            ("postgresql", "conduit cold tenant", conduitPg.Summarize(0), directPg.Summarize(0)),
            ("postgresql", "direct, new pool", directPg.Summarize(0), directPg.Summarize(0)),
            ("postgresql", "conduit warm tenant", warmPg.Summarize(0), directPg.Summarize(0)),
            ("redis", "conduit cold tenant", conduitRedis.Summarize(0), directRedis.Summarize(0)),
            ("redis", "direct, new multiplexer", directRedis.Summarize(0), directRedis.Summarize(0)),
            ("redis", "conduit warm tenant", warmRedis.Summarize(0), directRedis.Summarize(0)),
        };
        foreach (var (db, path, stats, baseline) in rows)
        {
            table.Add(db, path, stats.Operations, stats.P50Ms, ThroughputComparison.Ratio(stats.P50Ms, baseline.P50Ms), stats.P99Ms, ThroughputComparison.Ratio(stats.P99Ms, baseline.P99Ms), stats.MaxMs);
        }

        report.Charts.Add(new ChartSpec(
            "latency",
            "First-query latency",
            "ms",
            ["PostgreSQL p50", "PostgreSQL p99", "Redis p50", "Redis p99"],
            [
                ("conduit cold tenant", [rows[0].Stats.P50Ms, rows[0].Stats.P99Ms, rows[3].Stats.P50Ms, rows[3].Stats.P99Ms]),
                ("direct, new pool", [rows[1].Stats.P50Ms, rows[1].Stats.P99Ms, rows[4].Stats.P50Ms, rows[4].Stats.P99Ms]),
                ("conduit warm tenant", [rows[2].Stats.P50Ms, rows[2].Stats.P99Ms, rows[5].Stats.P50Ms, rows[5].Stats.P99Ms]),
            ],
            (50, "goal: cold p99 ≤ 50 ms")));
        report.Settings["Tenants"] = $"{tenants:N0} per database type, FREE tier, in-memory registry";
        report.Settings["Silo settings"] = SiloSettings.Describe(settings);
        context.DescribeServers(report);
        report.Goals.Add(new GoalResult("Cold start p99, PostgreSQL", "≤ 50 ms", $"{rows[0].Stats.P99Ms:0.0} ms", context.Quick ? null : rows[0].Stats.P99Ms <= 50));
        report.Goals.Add(new GoalResult("Cold start p99, Redis", "≤ 50 ms", $"{rows[3].Stats.P99Ms:0.0} ms", context.Quick ? null : rows[3].Stats.P99Ms <= 50));
        return report;
    }
}
