using System.Globalization;
using Conduit.Bench.Infrastructure;
using Conduit.Bench.Measurement;
using Conduit.Bench.Reporting;
using Npgsql;
using StackExchange.Redis;

namespace Conduit.Bench.Scenarios;

/// <summary>
/// <c>connections</c>: T tenant projects used by F frontends. Naive: every frontend keeps its own
/// Npgsql pool and Redis multiplexer per tenant. Conduit: every frontend calls the tenant's grain, the
/// only owner of the tenant's pools. Server-side connections during load and after the idle timeout.
/// </summary>
internal sealed class ConnectionsScenario : IScenario
{
    /// <summary>Most server connections the benchmark asks PostgreSQL for; larger naive setups are measured on a share of the frontends and scaled.</summary>
    public const int PostgresConnectionCap = 4000;

    private const string Database = "conns";
    private const string RedisKey = "bench:conns";

    // Redis client names: the naive multiplexers are named by the benchmark, Conduit's by the silo (conduit:{ref}).
    private const string NaivePrefix = "naive-";
    private const string ConduitPrefix = "conduit:conn-";

    public string Name => "connections";

    public string Summary => "server connections, T projects × F frontends: naive per-frontend pools vs Conduit, under load and after the idle timeout";

    public int PostgresConnectionsNeeded(Cli.BenchOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var (projects, frontends) = Shape(options);
        return Math.Min(PostgresConnectionCap, (projects * frontends) + (projects * 6) + 100);
    }

    public async Task<ScenarioReport> RunAsync(BenchContext context, CancellationToken cancellationToken)
    {
        var (projects, frontends) = Shape(context.Options);
        var postgres = await context.PostgresAsync().ConfigureAwait(false);
        var redis = await context.RedisAsync().ConfigureAwait(false);
        var database = await postgres.CreateDatabaseAsync(Database).ConfigureAwait(false);
        await redis.Database.StringSetAsync(RedisKey, "v").ConfigureAwait(false);

        // Naive frontends that fit under the server's connection limit are real; the rest are scaled from them.
        var budget = postgres.MaxConnections - 50;
        var measuredFrontends = Math.Max(1, Math.Min(frontends, budget / projects));
        // Short, so "after idle" comes soon; but longer than the time the round-robin load takes to come back to
        // a tenant (at a few thousand operations per second, 25 ms per tenant is ample), or pools would close
        // and reopen during the load and the run would measure that churn instead.
        var idleTimeout = context.Quick ? TimeSpan.FromSeconds(1) : TimeSpan.FromSeconds(Math.Max(5, projects * 0.025));
        var checkInterval = TimeSpan.FromMilliseconds(context.Quick ? 250 : 1000);
        var settleWait = idleTimeout + (checkInterval * 2) + TimeSpan.FromSeconds(context.Quick ? 1 : 5);
        var load = context.Measure(full: 15, quick: 1);
        var concurrency = context.Quick ? 16 : 64;
        var settings = new Dictionary<string, string>
        {
            ["Conduit__IdleCleanup__IdleTimeout"] = idleTimeout.ToString("c", CultureInfo.InvariantCulture),
            ["Conduit__IdleCleanup__CheckInterval"] = checkInterval.ToString("c", CultureInfo.InvariantCulture),
        };

        // Naive: F × T pools in this process.
        var naivePairs = projects * measuredFrontends;
        var naive = context.Task($"naive: {naivePairs:N0} per-frontend pools, load {load.TotalSeconds:0} s, then wait {settleWait.TotalSeconds:0} s", 3);
        var dataSources = new NpgsqlDataSource[naivePairs];
        var multiplexers = new ConnectionMultiplexer[naivePairs];
        for (var i = 0; i < naivePairs; i++)
        {
            dataSources[i] = NpgsqlDataSource.Create(new NpgsqlConnectionStringBuilder(database)
            {
                ApplicationName = string.Create(CultureInfo.InvariantCulture, $"naive-f{i / projects}-p{i % projects}"),
            }.ConnectionString);
        }

        await Parallel.ForAsync(0, naivePairs, new ParallelOptions { MaxDegreeOfParallelism = 16, CancellationToken = cancellationToken }, async (i, _) =>
            multiplexers[i] = await ConnectionMultiplexer.ConnectAsync(redis.Configuration(extra: string.Create(CultureInfo.InvariantCulture, $"name={NaivePrefix}f{i / projects}-p{i % projects}"))).ConfigureAwait(false)).ConfigureAwait(false);
        naive.Increment(1);
        var naiveOperation = async (int pair) =>
        {
            await using (var command = dataSources[pair].CreateCommand("SELECT 1"))
            {
                await command.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false);
            }

            await multiplexers[pair].GetDatabase().StringGetAsync(RedisKey).ConfigureAwait(false);
        };

        // Every pool is used once before the timed load, so "during load" means every frontend has met every tenant.
        await Parallel.ForAsync(0, naivePairs, new ParallelOptions { MaxDegreeOfParallelism = 32, CancellationToken = cancellationToken }, async (pair, _) => await naiveOperation(pair).ConfigureAwait(false)).ConfigureAwait(false);
        var naiveResult = await MeasureAsync(postgres, redis, NaivePrefix, load, concurrency, naivePairs, naiveOperation, cancellationToken).ConfigureAwait(false);
        naive.Increment(1);
        await Task.Delay(settleWait, cancellationToken).ConfigureAwait(false);
        var naiveIdle = (Pg: await postgres.CountConnectionsAsync(Database).ConfigureAwait(false), Redis: await redis.CountClientsAsync(NaivePrefix).ConfigureAwait(false));
        foreach (var source in dataSources)
        {
            await source.DisposeAsync().ConfigureAwait(false);
        }

        foreach (var multiplexer in multiplexers)
        {
            await multiplexer.DisposeAsync().ConfigureAwait(false);
        }

        naive.Increment(1);
        naive.StopTask();

        // Conduit: T tenants registered in a silo with a short idle timeout.
        var conduit = context.Task($"conduit: {projects:N0} tenants, load {load.TotalSeconds:0} s, then wait {settleWait.TotalSeconds:0} s", 3);
        await using var silo = await context.StartSiloAsync(Name, settings).ConfigureAwait(false);
        await using var frontend = await BenchContext.ConnectAsync(silo, Name).ConfigureAwait(false);
        var refs = await silo.CreateProjectsAsync("conn", projects, "FREE", [("postgresql", database), ("redis", redis.Configuration())]).ConfigureAwait(false);
        var handles = refs.Select(frontend.Conduit.Project).ToArray();
        await WaitForZeroAsync(postgres, redis, TimeSpan.FromSeconds(30)).ConfigureAwait(false);
        conduit.Increment(1);
        var conduitOperation = async (int pair) =>
        {
            var project = handles[pair % projects];
            await project.Postgres.QueryAsync("SELECT 1").ConfigureAwait(false);
            await project.Redis.GetAsync(RedisKey).ConfigureAwait(false);
        };
        await Parallel.ForAsync(0, projects, new ParallelOptions { MaxDegreeOfParallelism = 32, CancellationToken = cancellationToken }, async (pair, _) => await conduitOperation(pair).ConfigureAwait(false)).ConfigureAwait(false);
        var conduitResult = await MeasureAsync(postgres, redis, ConduitPrefix, load, concurrency, projects * frontends, conduitOperation, cancellationToken).ConfigureAwait(false);
        conduit.Increment(1);
        await Task.Delay(settleWait, cancellationToken).ConfigureAwait(false);
        var conduitIdle = (Pg: await postgres.CountConnectionsAsync(Database).ConfigureAwait(false), Redis: await redis.CountClientsAsync(ConduitPrefix).ConfigureAwait(false));
        conduit.Increment(1);
        conduit.StopTask();

        var scale = (double)frontends / measuredFrontends;
        var report = new ScenarioReport(
            Name,
            $"Server connections: {projects:N0} projects × {frontends:N0} frontends",
            $"Every (frontend, project) pair first runs `SELECT 1` and a Redis GET once (so every pool is open), then the pairs run them round-robin for {load.TotalSeconds:0} s ({concurrency} workers). "
            + "**naive**: each frontend keeps its own Npgsql pool (defaults) and StackExchange.Redis multiplexer per project, as a frontend without Conduit would. "
            + "**conduit**: the frontends call each project's grain, the only owner of that project's pools (FREE tier). "
            + "Server-side connections are counted in `pg_stat_activity` and Redis `CLIENT LIST`: the peak sampled during load, and again "
            + $"{settleWait.TotalSeconds:0} s after the load stopped (Conduit's idle timeout is {idleTimeout.TotalSeconds:0} s in this run). The ratio column is each figure ÷ naive.");
        var table = report.AddTable(
            "connections",
            "Server connections",
            new ReportColumn("setup", "Setup", ColumnKind.Text),
            new ReportColumn("basis", "Basis", ColumnKind.Text),
            new ReportColumn("pgDuringLoad", "PostgreSQL during load", ColumnKind.Count),
            new ReportColumn("pgRatio", "× naive", ColumnKind.Ratio),
            new ReportColumn("pgAfterIdle", "PostgreSQL after idle", ColumnKind.Count),
            new ReportColumn("redisDuringLoad", "Redis during load", ColumnKind.Count),
            new ReportColumn("redisRatio", "× naive", ColumnKind.Ratio),
            new ReportColumn("redisAfterIdle", "Redis after idle", ColumnKind.Count),
            new ReportColumn("opsPerSecond", "Ops/s", ColumnKind.Rate),
            new ReportColumn("errors", "Errors", ColumnKind.Count));
        var naivePg = naiveResult.PeakPg * scale;
        var naiveRedis = naiveResult.PeakRedis * scale;
        var basis = measuredFrontends == frontends ? "measured" : $"measured {measuredFrontends} frontends, × {scale:0.##}";
        table.Add("naive per-frontend pools", basis, naivePg, 1.0, naiveIdle.Pg * scale, naiveRedis, 1.0, naiveIdle.Redis * scale, naiveResult.Stats.Throughput, naiveResult.Stats.Errors);
        table.Add("conduit", "measured", conduitResult.PeakPg, ThroughputComparison.Ratio(conduitResult.PeakPg, naivePg), conduitIdle.Pg, conduitResult.PeakRedis, ThroughputComparison.Ratio(conduitResult.PeakRedis, naiveRedis), conduitIdle.Redis, conduitResult.Stats.Throughput, conduitResult.Stats.Errors);

        var perPool = report.AddTable(
            "per-pool",
            "Connections per pool during load",
            new ReportColumn("setup", "Setup", ColumnKind.Text),
            new ReportColumn("pools", "Pools", ColumnKind.Count),
            new ReportColumn("pgPerPool", "PostgreSQL per pool", ColumnKind.Ratio),
            new ReportColumn("redisPerPool", "Redis per pool", ColumnKind.Ratio));
        perPool.Add("naive per-frontend pools", naivePairs, (double)naiveResult.PeakPg / naivePairs, (double)naiveResult.PeakRedis / naivePairs);
        perPool.Add("conduit", projects, (double)conduitResult.PeakPg / projects, (double)conduitResult.PeakRedis / projects);

        report.Charts.Add(new ChartSpec(
            "servers",
            $"Server connections, {projects} projects × {frontends} frontends",
            "connections",
            ["PostgreSQL during load", "PostgreSQL after idle", "Redis during load", "Redis after idle"],
            [
                ("naive", [naivePg, naiveIdle.Pg * scale, naiveRedis, naiveIdle.Redis * scale]),
                ("conduit", [conduitResult.PeakPg, conduitIdle.Pg, conduitResult.PeakRedis, conduitIdle.Redis]),
            ]));

        report.Settings["Shape"] = $"{projects:N0} projects × {frontends:N0} frontends, {concurrency} workers, {load.TotalSeconds:0} s of load";
        report.Settings["Silo settings"] = SiloSettings.Describe(settings);
        context.DescribeServers(report);
        if (measuredFrontends != frontends)
        {
            report.Notes.Add($"The naive setup needs {projects * frontends:N0} PostgreSQL connections, more than this run's PostgreSQL allows ({postgres.MaxConnections:N0}): {measuredFrontends} of the {frontends} frontends were run for real and their counts scaled by {scale:0.##}.");
        }

        report.Notes.Add("The Conduit frontends share one Orleans client in this process: the server-side count does not depend on how many frontends call a tenant's grain, since the grain is the only pool owner.");
        report.Notes.Add($"With F frontends the best a shared pool can do is 1/F of the naive count (here {1.0 / frontends:0.###} of naive, {100.0 * (1 - (1.0 / frontends)):0.#} % fewer) when each pool holds one connection under load.");
        report.Notes.Add("Naive Npgsql pools close idle connections after Npgsql's default 300 s Connection Idle Lifetime and multiplexers never close on their own: after a short idle period they still hold everything.");
        var pgReduction = 1 - ThroughputComparison.Ratio(conduitResult.PeakPg, naivePg);
        var redisReduction = 1 - ThroughputComparison.Ratio(conduitResult.PeakRedis, naiveRedis);
        report.Goals.Add(new GoalResult("Fewer PostgreSQL connections than naive pools, during load", "≥ 95 % fewer", $"{100 * pgReduction:0.#} % fewer", context.Quick ? null : pgReduction >= 0.95));
        report.Goals.Add(new GoalResult("Fewer Redis connections than naive pools, during load", "≥ 95 % fewer", $"{100 * redisReduction:0.#} % fewer", context.Quick ? null : redisReduction >= 0.95));
        report.Goals.Add(new GoalResult("Connections of idle tenants after the idle timeout", "0", $"PostgreSQL {conduitIdle.Pg}, Redis {conduitIdle.Redis}", context.Quick ? null : conduitIdle.Pg == 0 && conduitIdle.Redis == 0));
        return report;
    }

    private static (int Projects, int Frontends) Shape(Cli.BenchOptions options) =>
        (options.Projects ?? (options.Quick ? 20 : 200), options.Frontends ?? (options.Quick ? 3 : 10));

    private static async Task<(LatencyStats Stats, int PeakPg, int PeakRedis)> MeasureAsync(
        PostgresServer postgres, RedisServer redis, string redisPrefix, TimeSpan load, int concurrency, int pairs, Func<int, Task> operation, CancellationToken cancellationToken)
    {
        var next = -1;
        var peakPg = 0;
        var peakRedis = 0;
        using var sampling = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var sampler = Task.Run(async () =>
        {
            while (!sampling.IsCancellationRequested)
            {
                peakPg = Math.Max(peakPg, await postgres.CountConnectionsAsync(Database).ConfigureAwait(false));
                peakRedis = Math.Max(peakRedis, await redis.CountClientsAsync(redisPrefix).ConfigureAwait(false));
                try
                {
                    await Task.Delay(250, sampling.Token).ConfigureAwait(false);
                }
                catch (OperationCanceledException)
                {
                    return;
                }
            }
        }, CancellationToken.None);
        var stats = await LoadRunner.RunAsync(concurrency, load, async _ =>
        {
            var pair = (int)((uint)Interlocked.Increment(ref next) % (uint)pairs);
            await operation(pair).ConfigureAwait(false);
        }, cancellationToken: cancellationToken).ConfigureAwait(false);

        await sampling.CancelAsync().ConfigureAwait(false);
        await sampler.ConfigureAwait(false);

        // One last sample while the pools are still warm.
        peakPg = Math.Max(peakPg, await postgres.CountConnectionsAsync(Database).ConfigureAwait(false));
        peakRedis = Math.Max(peakRedis, await redis.CountClientsAsync(redisPrefix).ConfigureAwait(false));
        return (stats, peakPg, peakRedis);
    }

    private static async Task WaitForZeroAsync(PostgresServer postgres, RedisServer redis, TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (DateTime.UtcNow < deadline)
        {
            if (await postgres.CountConnectionsAsync(Database).ConfigureAwait(false) == 0 && await redis.CountClientsAsync(NaivePrefix).ConfigureAwait(false) == 0)
            {
                return;
            }

            await Task.Delay(250).ConfigureAwait(false);
        }
    }
}
