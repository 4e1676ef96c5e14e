using System.Collections.Concurrent;
using System.Globalization;
using Conduit.Diagnostics;
using Conduit.Model;
using Conduit.Projects;
using Microsoft.Extensions.Options;
using Npgsql;
using NpgsqlTypes;
using Prometheus;

namespace Conduit.Silo.Metrics;

/// <summary>
/// Writes each active project's pool and query figures to <c>platform.database_metrics</c> through
/// <c>platform.record_database_metric()</c>: aggregated in memory from the data-plane events, one batch every
/// <see cref="HistoryOptions.FlushInterval"/>. Registered only with the PostgreSQL platform store.
/// </summary>
/// <remarks>
/// Never blocks a data call (the observer methods only add to counters). While the store is down, rows wait
/// (at most <see cref="HistoryOptions.MaxBufferedRows"/>, the oldest dropped and counted past that) and are
/// written with their original time once it returns.
/// </remarks>
public sealed partial class PlatformHistoryWriter : BackgroundService, IDataPlaneObserver
{
    private const string InsertSql =
        "SELECT platform.record_database_metric(u.r, u.t, u.n, u.v, u.l, u.ts) " +
        "FROM unnest($1::text[], $2::text[], $3::text[], $4::float8[], $5, $6::timestamptz[]) AS u(r, t, n, v, l, ts)";

    private readonly NpgsqlDataSource _platform;
    private readonly HistoryOptions _options;
    private readonly TimeProvider _time;
    private readonly ILogger<PlatformHistoryWriter> _logger;
    private readonly ConcurrentDictionary<(string Ref, DatabaseType Type), ProjectHistory> _projects = new();
    private readonly LinkedList<HistoryRow> _pending = new();
    private readonly Lock _pendingGate = new();
    private readonly Counter _written;
    private readonly Counter _dropped;
    private readonly Counter _failures;
    private readonly Gauge _pendingGauge;
    private bool _failing;

    /// <summary>Creates the writer and its own metrics in <paramref name="registry"/>.</summary>
    public PlatformHistoryWriter(NpgsqlDataSource platform, CollectorRegistry registry, PlatformEventWriter events, IOptions<HistoryOptions> options, TimeProvider time, ILogger<PlatformHistoryWriter> logger)
    {
        ArgumentNullException.ThrowIfNull(registry);
        ArgumentNullException.ThrowIfNull(events);
        ArgumentNullException.ThrowIfNull(options);
        _platform = platform;
        _options = options.Value;
        _time = time;
        _logger = logger;
        var factory = Prometheus.Metrics.WithCustomRegistry(registry);
        _written = factory.CreateCounter("conduit_history_rows_written_total", "Metric history rows written to platform.database_metrics.");
        _dropped = factory.CreateCounter("conduit_history_rows_dropped_total", "Metric history rows given up: buffer_full (the platform store was down too long) or rejected (the store refused them).", ["reason"]);
        _failures = factory.CreateCounter("conduit_history_write_failures_total", "Attempts to write metric history that failed; the rows stay queued.");
        _pendingGauge = factory.CreateGauge("conduit_history_rows_pending", "Metric history rows waiting to be written.");
        var eventsWritten = factory.CreateCounter("conduit_platform_events_written_total", "Connection events and health results written to the platform store.");
        var eventsDropped = factory.CreateCounter("conduit_platform_events_dropped_total", "Connection events dropped because the platform store was down too long.");
        registry.AddBeforeCollectCallback(() =>
        {
            eventsWritten.IncTo(events.Written);
            eventsDropped.IncTo(events.Dropped);
            _pendingGauge.Set(PendingRows);
        });
    }

    /// <summary>Rows waiting to be written.</summary>
    public int PendingRows
    {
        get
        {
            lock (_pendingGate)
            {
                return _pending.Count;
            }
        }
    }

    /// <inheritdoc />
    public void OperationCompleted(string projectRef, DatabaseType type, Tier tier, TimeSpan elapsed, string? errorCode) =>
        For(projectRef, type, tier).Completed(elapsed, errorCode is not null);

    /// <inheritdoc />
    public void PermitAcquired(string projectRef, DatabaseType type, Tier tier, TimeSpan waited)
    {
    }

    /// <inheritdoc />
    public void BreakerChanged(string projectRef, DatabaseType type, string database, Tier tier, BreakerState state, string? cause)
    {
    }

    /// <inheritdoc />
    public void PoolOpened(string projectRef, DatabaseType type, string database, Tier tier) =>
        SetPool(For(projectRef, type, tier), database, (0, 0, 0, true));

    /// <inheritdoc />
    public void PoolClosed(string projectRef, DatabaseType type, string database, string reason)
    {
        if (_projects.TryGetValue((projectRef, type), out var history))
        {
            SetPool(history, database, (0, 0, 0, false));
        }
    }

    /// <inheritdoc />
    public void PoolSampled(string projectRef, DatabaseType type, string database, Tier tier, PoolStats pool, BreakerState breaker)
    {
        ArgumentNullException.ThrowIfNull(pool);
        SetPool(For(projectRef, type, tier), database, (pool.Active, pool.Idle, pool.Waiting, true));
    }

    /// <inheritdoc />
    public void HealthChecked(string projectRef, DatabaseHealth health)
    {
    }

    /// <inheritdoc />
    public void ProjectDeactivated(string projectRef)
    {
        foreach (var type in DatabaseTypes.All)
        {
            if (_projects.TryGetValue((projectRef, type), out var history))
            {
                history.Deactivated = true;
            }
        }
    }

    /// <summary>Closes the interval: turns every active project's figures into queued rows stamped <paramref name="now"/>.</summary>
    internal void Sample(DateTimeOffset now)
    {
        var rows = new List<HistoryRow>();
        var time = now.UtcDateTime;
        var labels = string.Create(CultureInfo.InvariantCulture, $"{{\"interval_seconds\":{_options.FlushInterval.TotalSeconds}}}");
        foreach (var (key, history) in _projects)
        {
            var (queries, errors, elapsed, max) = history.TakeInterval();
            (int Active, int Idle, int Waiting, bool Open)[] pools;
            lock (history)
            {
                pools = [.. history.Pools.Values];
            }

            var open = pools.Any(p => p.Open);
            if (queries > 0 || open)
            {
                var type = key.Type.ToWireName();
                var tierLabels = labels.Insert(1, $"\"tier\":\"{history.Tier.ToWireName()}\",");
                void Add(string metric, double value) => rows.Add(new HistoryRow(key.Ref, type, metric, value, tierLabels, time));
                Add("queries", queries);
                Add("errors", errors);
                if (queries > 0)
                {
                    Add("query_time_avg_ms", elapsed.TotalMilliseconds / queries);
                    Add("query_time_max_ms", max.TotalMilliseconds);
                }

                Add("connections_active", pools.Sum(p => p.Active));
                Add("connections_idle", pools.Sum(p => p.Idle));
                Add("pool_waiting", pools.Sum(p => p.Waiting));
            }

            if (history.Deactivated && queries == 0)
            {
                _projects.TryRemove(new KeyValuePair<(string, DatabaseType), ProjectHistory>(key, history));
            }
        }

        lock (_pendingGate)
        {
            foreach (var row in rows)
            {
                _pending.AddLast(row);
            }

            var over = _pending.Count - _options.MaxBufferedRows;
            for (var i = 0; i < over; i++)
            {
                _pending.RemoveFirst();
            }

            if (over > 0)
            {
                _dropped.WithLabels("buffer_full").Inc(over);
            }
        }
    }

    /// <summary>Writes queued rows in batches until none are left or the store fails (then they stay queued).</summary>
    internal async Task WriteAsync(CancellationToken cancellationToken)
    {
        while (true)
        {
            HistoryRow[] batch;
            lock (_pendingGate)
            {
                batch = [.. _pending.Take(_options.BatchRows)];
            }

            if (batch.Length == 0)
            {
                return;
            }

            try
            {
                await InsertAsync(batch, cancellationToken).ConfigureAwait(false);
                Remove(batch.Length);
                _written.Inc(batch.Length);
                if (_failing)
                {
                    _failing = false;
                    WriteRecovered(_logger, PendingRows);
                }
            }
            catch (PostgresException e) when (e.SqlState == PostgresErrorCodes.InvalidParameterValue)
            {
                // The store refused a value; retrying cannot help, and it must not hold up the rows behind it.
                Remove(batch.Length);
                _dropped.WithLabels("rejected").Inc(batch.Length);
                RowsRejected(_logger, batch.Length, e.MessageText);
            }
            catch (Exception e) when (e is NpgsqlException or TimeoutException or IOException || (e is OperationCanceledException && !cancellationToken.IsCancellationRequested))
            {
                _failures.Inc();
                if (!_failing)
                {
                    _failing = true;
                    WriteFailed(_logger, PendingRows, e.GetType().Name);
                }

                return;
            }
        }
    }

    /// <inheritdoc />
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(_options.FlushInterval, _time);
        try
        {
            while (await timer.WaitForNextTickAsync(stoppingToken).ConfigureAwait(false))
            {
                try
                {
                    Sample(_time.GetUtcNow());
                    using var attempt = CancellationTokenSource.CreateLinkedTokenSource(stoppingToken);
                    attempt.CancelAfter(_options.FlushInterval);
                    await WriteAsync(attempt.Token).ConfigureAwait(false);
                }
#pragma warning disable CA1031 // A failed interval must not end the loop: a background service that throws stops the whole silo.
                catch (Exception e) when (e is not OperationCanceledException)
#pragma warning restore CA1031
                {
                    _failures.Inc();
                    UnexpectedFailure(_logger, e);
                }
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }

        // The last partial interval, bounded so a dead store cannot hold the silo's shutdown.
        Sample(_time.GetUtcNow());
        using var last = new CancellationTokenSource(TimeSpan.FromSeconds(5));
        try
        {
            await WriteAsync(last.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
        }
    }

    private ProjectHistory For(string projectRef, DatabaseType type, Tier tier)
    {
        var history = _projects.GetOrAdd((projectRef, type), static (_, t) => new ProjectHistory(t), tier);
        history.Tier = tier;
        history.Deactivated = false;
        return history;
    }

    private static void SetPool(ProjectHistory history, string database, (int Active, int Idle, int Waiting, bool Open) pool)
    {
        lock (history)
        {
            history.Pools[database] = pool;
        }
    }

    private void Remove(int count)
    {
        lock (_pendingGate)
        {
            // Sample and WriteAsync run in turn on one loop, so the written batch is still at the head.
            for (var i = 0; i < count && _pending.Count > 0; i++)
            {
                _pending.RemoveFirst();
            }
        }
    }

    private async Task InsertAsync(HistoryRow[] batch, CancellationToken cancellationToken)
    {
        await using var command = _platform.CreateCommand(InsertSql);
        command.Parameters.Add(new NpgsqlParameter { Value = batch.Select(r => r.ProjectRef).ToArray() });
        command.Parameters.Add(new NpgsqlParameter { Value = batch.Select(r => r.DatabaseType).ToArray() });
        command.Parameters.Add(new NpgsqlParameter { Value = batch.Select(r => r.Metric).ToArray() });
        command.Parameters.Add(new NpgsqlParameter { Value = batch.Select(r => r.Value).ToArray() });
        command.Parameters.Add(new NpgsqlParameter { Value = batch.Select(r => r.LabelsJson).ToArray(), NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Jsonb });
        command.Parameters.Add(new NpgsqlParameter { Value = batch.Select(r => r.TimeUtc).ToArray(), NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.TimestampTz });
        await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
    }

    [LoggerMessage(EventId = 4201, Level = LogLevel.Warning, Message = "Could not write metric history to the platform store ({Failure}); {Pending} rows stay queued and are retried every interval. Check that DATABASE_URL's server is reachable.")]
    private static partial void WriteFailed(ILogger logger, int pending, string failure);

    [LoggerMessage(EventId = 4202, Level = LogLevel.Information, Message = "Metric history writes work again; {Pending} rows still queued")]
    private static partial void WriteRecovered(ILogger logger, int pending);

    [LoggerMessage(EventId = 4204, Level = LogLevel.Error, Message = "Metric history interval failed unexpectedly; the writer goes on with the next interval")]
    private static partial void UnexpectedFailure(ILogger logger, Exception exception);

    [LoggerMessage(EventId = 4203, Level = LogLevel.Error, Message = "The platform store rejected {Count} metric history rows: {Reason}")]
    private static partial void RowsRejected(ILogger logger, int count, string reason);
}
