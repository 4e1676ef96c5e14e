using System.Data;
using Conduit.Errors;
using Conduit.Options;
using Conduit.Postgres;
using Conduit.Projects;
using Npgsql;

namespace Conduit.Connectors.Postgres;

/// <summary>One <see cref="NpgsqlDataSource"/> for one registered PostgreSQL database, sized by the tier.</summary>
/// <remarks>Owned by a pool generation of the project's grain; disposed when that generation retires.</remarks>
public sealed class PostgresConnector : IDatabaseConnector
{
    private readonly NpgsqlDataSource _dataSource;
    private readonly TierLimits _limits;
    private readonly string _poolName;
    private readonly int _maxRows;
    private int _active;

    /// <summary>Builds the data source; no connection is opened until the first call (beyond the tier's minimum, which Npgsql keeps once warm).</summary>
    public PostgresConnector(string connectionString, string poolName, TierLimits limits, DataPlaneOptions dataPlane, TimeSpan idleTimeout)
    {
        ArgumentNullException.ThrowIfNull(limits);
        ArgumentNullException.ThrowIfNull(dataPlane);
        _limits = limits;
        _maxRows = dataPlane.MaxRows;
        _poolName = poolName;
        var builder = new NpgsqlDataSourceBuilder(connectionString)
        {
            Name = poolName,
        };
        var settings = builder.ConnectionStringBuilder;
        settings.Pooling = true;
        settings.MinPoolSize = limits.MinPoolSize;
        settings.MaxPoolSize = limits.MaxPoolSize;
        // The server stops the statement itself at the tier's timeout; the Polly timeout is the backstop.
        settings.CommandTimeout = Math.Max(1, (int)Math.Ceiling(limits.QueryTimeout.TotalSeconds));
        // Npgsql's Timeout bounds both connecting and waiting for a pooled connection.
        settings.Timeout = Math.Max(1, (int)Math.Ceiling(Math.Max(dataPlane.ConnectTimeout.TotalSeconds, limits.QueryTimeout.TotalSeconds)));
        // Npgsql requires the idle lifetime to be at least the pruning interval (10 s by default).
        settings.ConnectionIdleLifetime = Math.Max(1, (int)Math.Ceiling(idleTimeout.TotalSeconds));
        settings.ConnectionPruningInterval = Math.Min(settings.ConnectionPruningInterval, settings.ConnectionIdleLifetime);
        settings.ApplicationName ??= "conduit";
        // int[] with a NULL element must not fail or come back as a different type than int[] without one.
        settings.ArrayNullabilityMode = ArrayNullabilityMode.Always;
        try
        {
            _dataSource = builder.Build();
        }
        catch (ArgumentException e)
        {
            // Npgsql names the offending setting, never the password.
            throw new ConduitException(ErrorCodes.BackendUnavailable, $"The registered PostgreSQL connection string cannot be used: {e.Message}");
        }
    }

    /// <summary>Runs one statement and returns its rows, at most the configured row cap.</summary>
    public async ValueTask<PgResult> QueryAsync(PgCommand command, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(command);
        Interlocked.Increment(ref _active);
        var executing = false;
        try
        {
            await using var connection = await _dataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
            executing = true;
            await using var sql = new NpgsqlCommand(command.Sql, connection);
            PgParameters.Bind(sql.Parameters, command.Parameters);
            await using var reader = await sql.ExecuteReaderAsync(CommandBehavior.Default, cancellationToken).ConfigureAwait(false);
            return await ReadAllAsync(reader, sql.Cancel, new PgRowBudget(_maxRows), string.Empty, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (Translate(e, string.Empty, executing) is { } translated && !ReferenceEquals(translated, e))
        {
            throw translated;
        }
        finally
        {
            Interlocked.Decrement(ref _active);
        }
    }

    /// <summary>
    /// Runs the statements in order on one connection inside one transaction and commits; any failure (or
    /// cancellation by the timeout) rolls back when the transaction is disposed. The row cap counts all statements.
    /// </summary>
    /// <remarks>
    /// Each statement goes as a one-command batch, which PostgreSQL parses as exactly one statement, so a
    /// "select 1; commit" cannot end the transaction half way.
    /// </remarks>
    public async ValueTask<PgTransactionResult> TransactionAsync(PgTransaction transaction, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(transaction);
        Interlocked.Increment(ref _active);
        var prefix = "begin: ";
        var executing = false;
        try
        {
            await using var connection = await _dataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
            executing = true;
            await using var scope = transaction.IsolationLevel is { } level
                ? await connection.BeginTransactionAsync(ToIsolationLevel(level), cancellationToken).ConfigureAwait(false)
                : await connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
            var budget = new PgRowBudget(_maxRows);
            var results = new PgResult[transaction.Statements.Count];
            for (var i = 0; i < results.Length; i++)
            {
                prefix = $"statements[{i}]: ";
                var statement = transaction.Statements[i];
                await using var batch = new NpgsqlBatch(connection, scope);
                var command = new NpgsqlBatchCommand(statement.Sql);
                PgParameters.Bind(command.Parameters, statement.Parameters);
                batch.BatchCommands.Add(command);
                await using var reader = await batch.ExecuteReaderAsync(CommandBehavior.Default, cancellationToken).ConfigureAwait(false);
                results[i] = await ReadAllAsync(reader, batch.Cancel, budget, prefix, cancellationToken).ConfigureAwait(false);
            }

            prefix = "commit: ";
            await scope.CommitAsync(cancellationToken).ConfigureAwait(false);
            return new PgTransactionResult(results);
        }
        catch (Exception e) when (Translate(e, prefix, executing) is { } translated && !ReferenceEquals(translated, e))
        {
            throw translated;
        }
        finally
        {
            Interlocked.Decrement(ref _active);
        }
    }

    /// <inheritdoc />
    public async Task PingAsync(CancellationToken cancellationToken)
    {
        try
        {
            await using var connection = await _dataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
            await using var sql = new NpgsqlCommand("SELECT 1", connection);
            await sql.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (PostgresErrors.Translate(e) is { } translated && !ReferenceEquals(translated, e))
        {
            throw translated;
        }
    }

    /// <inheritdoc />
    public PoolStats GetPoolStats(int waiting)
    {
        var active = Volatile.Read(ref _active);
        var total = NpgsqlPoolCounter.Total(_poolName);
        return new PoolStats(Math.Min(active, _limits.MaxPoolSize), Math.Max(0, total - active), waiting, _limits.MinPoolSize, _limits.MaxPoolSize);
    }

    /// <inheritdoc />
    public void ClearPool() => _dataSource.Clear();

    /// <inheritdoc />
    public ValueTask DisposeAsync() => _dataSource.DisposeAsync();

    private static ConduitException? Translate(Exception exception, string prefix, bool executing) =>
        executing ? PostgresErrors.TranslateExecution(exception, prefix) : PostgresErrors.Translate(exception, prefix);

    private static IsolationLevel ToIsolationLevel(PgIsolationLevel level) => level switch
    {
        PgIsolationLevel.ReadCommitted => IsolationLevel.ReadCommitted,
        PgIsolationLevel.RepeatableRead => IsolationLevel.RepeatableRead,
        PgIsolationLevel.Serializable => IsolationLevel.Serializable,
        _ => throw new ConduitException(ErrorCodes.InvalidRequest, $"isolationLevel: {level} is not one of read committed, repeatable read, serializable."),
    };

    private static async Task<PgResult> ReadAllAsync(NpgsqlDataReader reader, Action cancel, PgRowBudget budget, string prefix, CancellationToken cancellationToken)
    {
        var rows = new List<object?[]>();
        IReadOnlyList<PgColumn> columns = [];
        try
        {
            do
            {
                if (reader.FieldCount > 0)
                {
                    var read = await PgResultReader.ReadAsync(reader, rows, budget, prefix, cancellationToken).ConfigureAwait(false);
                    columns = columns.Count == 0 ? read : columns;
                }
            }
            while (await reader.NextResultAsync(cancellationToken).ConfigureAwait(false));
        }
        catch (ConduitException)
        {
            // Stop the statement on the server: disposing the reader would otherwise read (and drop) every
            // remaining row, holding the connection and the permit for as long as that takes.
            TryCancel(cancel);
            throw;
        }

        await reader.CloseAsync().ConfigureAwait(false);
        return new PgResult(columns, rows, columns.Count > 0 && reader.RecordsAffected <= 0 ? -1 : reader.RecordsAffected);
    }

    private static void TryCancel(Action cancel)
    {
        try
        {
            cancel();
        }
        catch (Exception e) when (e is NpgsqlException or IOException or System.Net.Sockets.SocketException or InvalidOperationException)
        {
            // The cancel request is best effort; disposing the reader drains what is left instead.
        }
    }
}
