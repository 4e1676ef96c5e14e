using System.Collections.Concurrent;
using System.Text.Json;
using Conduit.Errors;
using Conduit.Model;
using Conduit.Projects;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Npgsql;

namespace Conduit.Diagnostics;

/// <summary>
/// Writes connection events (pools opened and closed, idle cleanup, breaker transitions, rejections,
/// infrastructure errors) through <c>platform.log_database_event()</c> and health probes through
/// <c>platform.update_database_health()</c>, in batches on a background loop. Rejections and errors are
/// folded into one row per project, type and code per flush, so an open breaker cannot flood the table.
/// </summary>
/// <remarks>
/// Never blocks a data call: events wait in memory (at most <see cref="MaxBuffered"/>; past that the
/// oldest are dropped and counted in <see cref="Dropped"/>) while the platform store is down, and are
/// written when it returns. A batch the store answers with a non-infrastructure error (a schema that was
/// never migrated, say) is dropped and counted instead, so it cannot block the events behind it.
/// </remarks>
public sealed partial class PlatformEventWriter(NpgsqlDataSource platform, ILogger<PlatformEventWriter> logger)
    : BackgroundService, IDataPlaneObserver
{
    /// <summary>Most events held while the platform store is unreachable.</summary>
    public const int MaxBuffered = 10_000;

    private static readonly TimeSpan FlushInterval = TimeSpan.FromSeconds(1);
    private readonly ConcurrentQueue<PlatformEvent> _queue = new();
    private readonly ConcurrentDictionary<(string Ref, DatabaseType Type, string Kind, string Code), int> _folded = new();
    private readonly SemaphoreSlim _signal = new(0);
    private long _dropped;
    private long _written;

    /// <summary>Events dropped because the buffer was full.</summary>
    public long Dropped => Interlocked.Read(ref _dropped);

    /// <summary>Events written so far.</summary>
    public long Written => Interlocked.Read(ref _written);

    /// <inheritdoc />
    public void OperationCompleted(string projectRef, DatabaseType type, Tier tier, TimeSpan elapsed, string? errorCode)
    {
        var kind = errorCode switch
        {
            ErrorCodes.CircuitOpen or ErrorCodes.QueueTimeout or ErrorCodes.RateLimited => "rejection",
            ErrorCodes.BackendUnavailable or ErrorCodes.QueryTimeout or ErrorCodes.InternalError or ErrorCodes.SecretUnreadable => "error",
            _ => null,
        };
        if (kind is not null)
        {
            _folded.AddOrUpdate((projectRef, type, kind, errorCode!), 1, static (_, n) => n + 1);
        }
    }

    /// <inheritdoc />
    public void PermitAcquired(string projectRef, DatabaseType type, Tier tier, TimeSpan waited)
    {
    }

    /// <inheritdoc />
    public void BreakerChanged(string projectRef, DatabaseType type, string database, Tier tier, BreakerState state, string? cause)
    {
        var (kind, message) = state switch
        {
            BreakerState.Open => ("breaker_opened", "circuit breaker opened"),
            BreakerState.HalfOpen => ("breaker_half_open", "circuit breaker half-open: probing"),
            BreakerState.Isolated => ("breaker_isolated", "circuit breaker isolated by an administrator"),
            _ => ("breaker_closed", "circuit breaker closed"),
        };
        Enqueue(new PlatformEvent(projectRef, type, kind, message, new Dictionary<string, object?> { ["database"] = database, ["tier"] = tier.ToWireName(), ["cause"] = cause }));
    }

    /// <inheritdoc />
    public void PoolOpened(string projectRef, DatabaseType type, string database, Tier tier) =>
        Enqueue(new PlatformEvent(projectRef, type, "pool_opened", "pool opened", new Dictionary<string, object?> { ["database"] = database, ["tier"] = tier.ToWireName() }));

    /// <inheritdoc />
    public void PoolClosed(string projectRef, DatabaseType type, string database, string reason) =>
        Enqueue(new PlatformEvent(projectRef, type, reason == "idle" ? "idle_cleanup" : "pool_closed", $"pool closed: {reason}", new Dictionary<string, object?> { ["database"] = database, ["reason"] = reason }));

    /// <inheritdoc />
    public void PoolSampled(string projectRef, DatabaseType type, string database, Tier tier, PoolStats pool, BreakerState breaker)
    {
    }

    /// <inheritdoc />
    public void HealthChecked(string projectRef, DatabaseHealth health)
    {
        ArgumentNullException.ThrowIfNull(health);
        Enqueue(new PlatformEvent(projectRef, health.Type, "health", health.Status.ToString().ToLowerInvariant(), null, health));
    }

    /// <inheritdoc />
    public void ProjectDeactivated(string projectRef)
    {
    }

    /// <inheritdoc />
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var batch = new List<PlatformEvent>();
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await _signal.WaitAsync(FlushInterval, stoppingToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                break;
            }

            await FlushAsync(batch, stoppingToken).ConfigureAwait(false);
        }

        // One last attempt on shutdown, bounded so a dead store cannot hold the silo up.
        using var last = new CancellationTokenSource(TimeSpan.FromSeconds(5));
        await FlushAsync(batch, last.Token).ConfigureAwait(false);
    }

    /// <summary>Writes what is queued now; events stay queued when the store is down.</summary>
    internal async Task FlushAsync(List<PlatformEvent> batch, CancellationToken cancellationToken)
    {
        foreach (var key in _folded.Keys)
        {
            if (_folded.TryRemove(key, out var count))
            {
                Enqueue(new PlatformEvent(key.Ref, key.Type, key.Kind, $"{count} × {key.Code}", new Dictionary<string, object?> { ["code"] = key.Code, ["count"] = count }));
            }
        }

        while (batch.Count < 500 && _queue.TryDequeue(out var next))
        {
            batch.Add(next);
        }

        if (batch.Count == 0)
        {
            return;
        }

        try
        {
            await using var connection = await platform.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
            await using var npgsqlBatch = new NpgsqlBatch(connection);
            foreach (var item in batch)
            {
                npgsqlBatch.BatchCommands.Add(ToCommand(item));
            }

            await npgsqlBatch.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
            Interlocked.Add(ref _written, batch.Count);
            batch.Clear();
        }
        catch (PostgresException e) when (!Connectors.Postgres.PostgresErrors.IsInfrastructure(e.SqlState))
        {
            // The store answered and refused the batch (e.g. an unmigrated schema): retrying the same rows
            // would block every later event, so they are dropped and counted.
            DropBatch(batch, e.SqlState);
        }
        catch (Exception e) when (e is NpgsqlException or OperationCanceledException or TimeoutException or IOException or System.Net.Sockets.SocketException)
        {
            // Keep the batch for the next flush; the buffer bound below keeps memory finite.
            WriteFailed(logger, batch.Count, e.GetType().Name);
            while (batch.Count + _queue.Count > MaxBuffered && batch.Count > 0)
            {
                batch.RemoveAt(0);
                Interlocked.Increment(ref _dropped);
            }
        }
        catch (Exception e)
        {
            // Anything else is a bug in building the batch: it must cost these events, never the silo's
            // background loop (a BackgroundService that throws stops the host).
            DropBatch(batch, e.GetType().Name);
        }
    }

    private void DropBatch(List<PlatformEvent> batch, string failure)
    {
        WriteRejected(logger, batch.Count, failure);
        Interlocked.Add(ref _dropped, batch.Count);
        batch.Clear();
    }

    private static NpgsqlBatchCommand ToCommand(PlatformEvent item)
    {
        if (item.Health is { } health)
        {
            var healthCommand = new NpgsqlBatchCommand("SELECT platform.update_database_health($1, $2, $3, $4, $5, $6)");
            healthCommand.Parameters.Add(new NpgsqlParameter { Value = item.ProjectRef });
            healthCommand.Parameters.Add(new NpgsqlParameter { Value = health.Type.ToWireName() });
            healthCommand.Parameters.Add(new NpgsqlParameter { Value = health.Name });
            healthCommand.Parameters.Add(new NpgsqlParameter { Value = health.Status.ToString().ToLowerInvariant() });
            healthCommand.Parameters.Add(new NpgsqlParameter { Value = (object?)health.ResponseTimeMs ?? DBNull.Value, NpgsqlDbType = NpgsqlTypes.NpgsqlDbType.Double });
            healthCommand.Parameters.Add(new NpgsqlParameter { Value = (object?)health.ErrorCode ?? DBNull.Value, NpgsqlDbType = NpgsqlTypes.NpgsqlDbType.Text });
            return healthCommand;
        }

        var command = new NpgsqlBatchCommand("SELECT platform.log_database_event($1, $2, $3, $4, $5::jsonb)");
        command.Parameters.Add(new NpgsqlParameter { Value = item.ProjectRef });
        command.Parameters.Add(new NpgsqlParameter { Value = item.Type.ToWireName() });
        command.Parameters.Add(new NpgsqlParameter { Value = item.Kind });
        command.Parameters.Add(new NpgsqlParameter { Value = item.Message });
        command.Parameters.Add(new NpgsqlParameter { Value = JsonSerializer.Serialize(item.Details ?? new Dictionary<string, object?>()) });
        return command;
    }

    private void Enqueue(PlatformEvent item)
    {
        if (_queue.Count >= MaxBuffered)
        {
            Interlocked.Increment(ref _dropped);
            return;
        }

        _queue.Enqueue(item);
        if (_queue.Count >= 200)
        {
            _signal.Release();
        }
    }

    /// <inheritdoc />
    public override void Dispose()
    {
        _signal.Dispose();
        base.Dispose();
    }

    [LoggerMessage(EventId = 1201, Level = LogLevel.Warning, Message = "Could not write {Count} connection events to the platform store ({Failure}); they stay queued")]
    private static partial void WriteFailed(ILogger logger, int count, string failure);

    [LoggerMessage(EventId = 1202, Level = LogLevel.Error, Message = "The platform store refused {Count} connection events ({Failure}); they are dropped and counted")]
    private static partial void WriteRejected(ILogger logger, int count, string failure);

    /// <summary>One queued row.</summary>
    internal sealed record PlatformEvent(string ProjectRef, DatabaseType Type, string Kind, string Message, Dictionary<string, object?>? Details, DatabaseHealth? Health = null);
}
