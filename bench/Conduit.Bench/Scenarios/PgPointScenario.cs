using Conduit.Bench.Infrastructure;
using Conduit.Bench.Reporting;
using Npgsql;

namespace Conduit.Bench.Scenarios;

/// <summary>
/// <c>pg-point</c>: a primary-key lookup on a 100,000-row table from this frontend process, three ways:
/// direct Npgsql (pooled), Npgsql through PgBouncer in transaction mode, and through Conduit.
/// </summary>
internal sealed class PgPointScenario : IScenario
{
    private const string Sql = $"SELECT id, name, balance FROM {BenchContext.PointTable} WHERE id = $1";
    private static readonly int[] Concurrencies = [1, 16, 64];

    public string Name => "pg-point";

    public string Summary => "PostgreSQL primary-key lookup: direct Npgsql vs PgBouncer vs Conduit at c=1/16/64";

    public async Task<ScenarioReport> RunAsync(BenchContext context, CancellationToken cancellationToken)
    {
        var setup = context.Task("pg-point: servers, silo, table");
        var database = await context.PointDatabaseAsync().ConfigureAwait(false);
        var postgres = await context.PostgresAsync().ConfigureAwait(false);
        var bouncer = await context.PgBouncerAsync().ConfigureAwait(false);
        var settings = SiloSettings.UnthrottledEnterprise();
        await using var silo = await context.StartSiloAsync(Name, settings).ConfigureAwait(false);
        await using var frontend = await BenchContext.ConnectAsync(silo, Name).ConfigureAwait(false);
        const string projectRef = "bench-pg-point";
        await silo.CreateProjectAsync(projectRef, "ENTERPRISE").ConfigureAwait(false);
        await silo.AddDatabaseAsync(projectRef, "postgresql", database).ConfigureAwait(false);
        var project = frontend.Conduit.Project(projectRef).Postgres;

        await using var direct = NpgsqlDataSource.Create(new NpgsqlConnectionStringBuilder(database) { MaxPoolSize = 100, ApplicationName = "bench-direct" }.ConnectionString);
        await using var viaBouncer = NpgsqlDataSource.Create(new NpgsqlConnectionStringBuilder(postgres.ConnectionString(BenchContext.PointDatabase, bouncer.Port))
        {
            MaxPoolSize = 100,
            NoResetOnClose = true,
            ApplicationName = "bench-pgbouncer",
        }.ConnectionString);
        setup.Increment(1);
        setup.StopTask();

        var random = Enumerable.Range(0, 64).Select(i => new Random(1000 + i)).ToArray();
        var modes = new List<ComparisonMode>
        {
            new("direct", w => PointQueryAsync(direct, random[w].Next(1, BenchContext.PointRows + 1))),
            new("pgbouncer", w => PointQueryAsync(viaBouncer, random[w].Next(1, BenchContext.PointRows + 1))),
            new("conduit", async w =>
            {
                var result = await project.QueryAsync(Sql, random[w].Next(1, BenchContext.PointRows + 1)).ConfigureAwait(false);
                if (result.Rows.Count != 1)
                {
                    throw new InvalidOperationException("The point query returned no row.");
                }
            }),
        };

        var measure = context.Measure(full: 10);
        var rounds = context.Quick ? 1 : 3;
        var results = await ThroughputComparison.RunAsync(context, Concurrencies, modes, context.Warmup(), measure, cancellationToken, rounds).ConfigureAwait(false);

        var report = new ScenarioReport(
            Name,
            "PostgreSQL primary-key lookup",
            $"`{Sql}` with a random id on a {BenchContext.PointRows:N0}-row table, issued from this frontend process by closed-loop workers three ways: "
            + "**direct** Npgsql (one pooled data source, Max Pool Size 100), **pgbouncer** (Npgsql through PgBouncer in transaction mode on loopback), "
            + "and **conduit** (the Orleans client → the silo process → the tenant grain's pool → PostgreSQL). Every figure is a ratio to direct, measured in the same run.");
        var modeNames = modes.Select(m => m.Name).ToArray();
        ThroughputComparison.AddTable(report, "results", "Throughput and latency by concurrency", results, Concurrencies, modeNames);
        ThroughputComparison.AddCharts(report, "pg-point", results, Concurrencies, modeNames, 0.80);
        report.Settings["Per cell"] = $"{context.Warmup().TotalSeconds:0.#} s warm-up, {measure.TotalSeconds:0.#} s measured in {rounds} rounds alternating between the paths";
        report.Settings["Tenant"] = "ENTERPRISE tier (pool 20–100, 500 concurrent)";
        report.Settings["Silo settings"] = SiloSettings.Describe(settings);
        context.DescribeServers(report);

        foreach (var c in new[] { 16, 64 })
        {
            var ratio = ThroughputComparison.Ratio(results[(c, "conduit")].Throughput, results[(c, "direct")].Throughput);
            report.Goals.Add(new GoalResult($"Conduit throughput at c={c}", "≥ 0.80 of direct", $"{ratio:0.00}", context.Quick ? null : ratio >= 0.80));
        }

        var added = results[(16, "conduit")].P99Ms - results[(16, "direct")].P99Ms;
        report.Goals.Add(new GoalResult("Added p99 at c=16", "≤ 1 ms", $"{added:0.000} ms", context.Quick ? null : added <= 1.0));
        return report;
    }

    private static async ValueTask PointQueryAsync(NpgsqlDataSource source, int id)
    {
        await using var connection = await source.OpenConnectionAsync().ConfigureAwait(false);
        await using var command = new NpgsqlCommand(Sql, connection);
        command.Parameters.Add(new NpgsqlParameter { Value = id });
        await using var reader = await command.ExecuteReaderAsync().ConfigureAwait(false);
        var values = new object[3];
        var rows = 0;
        while (await reader.ReadAsync().ConfigureAwait(false))
        {
            reader.GetValues(values);
            rows++;
        }

        if (rows != 1)
        {
            throw new InvalidOperationException("The point query returned no row.");
        }
    }
}
