using Conduit.Bench.Cli;
using Conduit.Bench.Infrastructure;
using Conduit.Bench.Reporting;
using Spectre.Console;

namespace Conduit.Bench.Scenarios;

/// <summary>
/// What a scenario runs against: the run's private servers (started on first use, shared by the
/// scenarios of one run), a silo per scenario, progress display and the run's durations.
/// </summary>
internal sealed class BenchContext : IAsyncDisposable
{
    /// <summary>The table every point-query scenario reads: 100,000 rows keyed by id.</summary>
    public const string PointTable = "accounts";

    /// <summary>Rows in <see cref="PointTable"/>.</summary>
    public const int PointRows = 100_000;

    /// <summary>The database holding <see cref="PointTable"/>.</summary>
    public const string PointDatabase = "bench";

    private readonly SemaphoreSlim _gate = new(1, 1);
    private readonly int _postgresMaxConnections;
    private PostgresServer? _postgres;
    private RedisServer? _redis;
    private PgBouncerServer? _pgBouncer;
    private TwemproxyServer? _twemproxy;
    private MongoServer? _mongo;
    private string? _pointDatabase;

    public BenchContext(BenchOptions options, RunInfo run, int postgresMaxConnections)
    {
        Options = options;
        Run = run;
        _postgresMaxConnections = postgresMaxConnections;
        State = new StateDirectory();
    }

    /// <summary>The command line.</summary>
    public BenchOptions Options { get; }

    /// <summary>Machine, date, commit.</summary>
    public RunInfo Run { get; }

    /// <summary>The run's private folder.</summary>
    public StateDirectory State { get; }

    /// <summary>True for a seconds-long proof run.</summary>
    public bool Quick => Options.Quick;

    /// <summary>The progress display of the running scenario.</summary>
    public ProgressContext? Progress { get; set; }

    /// <summary>How long each measured cell runs: <c>--duration</c>, else <paramref name="full"/> or <paramref name="quick"/>.</summary>
    public TimeSpan Measure(double full, double quick = 0.5) => TimeSpan.FromSeconds(Options.Duration ?? (Quick ? quick : full));

    /// <summary>Warm-up before each measured cell.</summary>
    public TimeSpan Warmup(double full = 3, double quick = 0.2) => TimeSpan.FromSeconds(Quick ? quick : Math.Min(full, (Options.Duration ?? full) / 2));

    /// <summary>A progress line with <paramref name="maxValue"/> steps.</summary>
    public ProgressTask Task(string description, double maxValue = 1)
    {
        if (Progress is null)
        {
            BenchConsole.Info(description);
            return new ProgressTask(0, description, maxValue, autoStart: true);
        }

        return Progress.AddTask(Markup.Escape(description), maxValue: maxValue);
    }

    /// <summary>The run's PostgreSQL.</summary>
    public async Task<PostgresServer> PostgresAsync() =>
        _postgres ??= await Once(() => _postgres, () => PostgresServer.StartAsync(State, _postgresMaxConnections)).ConfigureAwait(false);

    /// <summary>The run's Redis.</summary>
    public async Task<RedisServer> RedisAsync() =>
        _redis ??= await Once(() => _redis, () => RedisServer.StartAsync(State)).ConfigureAwait(false);

    /// <summary>The run's MongoDB: <c>MONGODB_URL</c> when set, else the wire-protocol test server.</summary>
    public async Task<MongoServer> MongoAsync() =>
        _mongo ??= await Once(() => _mongo, MongoServer.StartAsync).ConfigureAwait(false);

    /// <summary>PgBouncer (transaction mode) in front of the point-query database.</summary>
    public async Task<PgBouncerServer> PgBouncerAsync()
    {
        var postgres = await PostgresAsync().ConfigureAwait(false);
        await PointDatabaseAsync().ConfigureAwait(false);
        return _pgBouncer ??= await Once(() => _pgBouncer, () => PgBouncerServer.StartAsync(State, postgres, PointDatabase, poolSize: 64)).ConfigureAwait(false);
    }

    /// <summary>twemproxy in front of the run's Redis.</summary>
    public async Task<TwemproxyServer> TwemproxyAsync()
    {
        var redis = await RedisAsync().ConfigureAwait(false);
        return _twemproxy ??= await Once(() => _twemproxy, () => TwemproxyServer.StartAsync(State, redis)).ConfigureAwait(false);
    }

    /// <summary>The database with <see cref="PointTable"/> (created and filled on first use); a superuser connection string to it.</summary>
    public async Task<string> PointDatabaseAsync()
    {
        var postgres = await PostgresAsync().ConfigureAwait(false);
        return _pointDatabase ??= await Once(() => _pointDatabase, async () =>
        {
            var connectionString = await postgres.CreateDatabaseAsync(PointDatabase).ConfigureAwait(false);
            await postgres.ExecuteAsync($"""
                CREATE TABLE IF NOT EXISTS {PointTable} (id integer PRIMARY KEY, name text NOT NULL, balance bigint NOT NULL);
                TRUNCATE {PointTable};
                INSERT INTO {PointTable} SELECT g, 'account-' || g, (g * 7919) % 100000 FROM generate_series(1, {PointRows}) AS g;
                """, PointDatabase).ConfigureAwait(false);
            await postgres.ExecuteAsync($"VACUUM ANALYZE {PointTable}", PointDatabase).ConfigureAwait(false);
            return connectionString;
        }).ConfigureAwait(false);
    }

    /// <summary>Starts a silo for one scenario.</summary>
    public Task<SiloProcess> StartSiloAsync(string name, IDictionary<string, string> settings) => SiloProcess.StartAsync(State, name, settings);

    /// <summary>Connects this process to <paramref name="silo"/> as a frontend.</summary>
    public static Task<ConduitFrontend> ConnectAsync(SiloProcess silo, string name, int? redisInFlight = null) => ConduitFrontend.ConnectAsync(silo, "bench-" + name, redisInFlight);

    /// <summary>Versions of the servers started so far, for the report.</summary>
    public void DescribeServers(ScenarioReport report)
    {
        ArgumentNullException.ThrowIfNull(report);
        if (_postgres is not null)
        {
            report.Settings["PostgreSQL"] = $"{_postgres.Version} on loopback, max_connections {_postgres.MaxConnections}, fsync off";
        }

        if (_redis is not null)
        {
            report.Settings["Redis"] = $"{_redis.Version} on loopback, no persistence";
        }

        if (_pgBouncer is not null)
        {
            report.Settings["PgBouncer"] = $"{_pgBouncer.Version}, pool_mode transaction, default_pool_size {_pgBouncer.PoolSize}";
        }

        if (_twemproxy is not null)
        {
            report.Settings["twemproxy"] = $"{_twemproxy.Version}, one server connection";
        }

        if (_mongo is not null)
        {
            report.Settings["MongoDB"] = _mongo.Description;
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (_mongo is not null)
        {
            await _mongo.DisposeAsync().ConfigureAwait(false);
        }

        if (_twemproxy is not null)
        {
            await _twemproxy.DisposeAsync().ConfigureAwait(false);
        }

        if (_pgBouncer is not null)
        {
            await _pgBouncer.DisposeAsync().ConfigureAwait(false);
        }

        if (_redis is not null)
        {
            await _redis.DisposeAsync().ConfigureAwait(false);
        }

        if (_postgres is not null)
        {
            await _postgres.DisposeAsync().ConfigureAwait(false);
        }

        State.Dispose();
        _gate.Dispose();
    }

    private async Task<T> Once<T>(Func<T?> current, Func<Task<T>> create)
        where T : class
    {
        await _gate.WaitAsync().ConfigureAwait(false);
        try
        {
            return current() ?? await create().ConfigureAwait(false);
        }
        finally
        {
            _gate.Release();
        }
    }
}
