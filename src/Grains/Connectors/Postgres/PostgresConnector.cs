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
        try
        {
            await using var connection = await _dataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
            await using var sql = new NpgsqlCommand(command.Sql, connection);
            if (command.Parameters is { } parameters)
            {
                foreach (var value in parameters)
                {
                    sql.Parameters.Add(new NpgsqlParameter { Value = value ?? DBNull.Value });
                }
            }

            await using var reader = await sql.ExecuteReaderAsync(CommandBehavior.Default, cancellationToken).ConfigureAwait(false);
            var columns = new List<PgColumn>();
            var rows = new List<object?[]>();
            do
            {
                if (reader.FieldCount > 0 && columns.Count == 0)
                {
                    for (var i = 0; i < reader.FieldCount; i++)
                    {
                        columns.Add(new PgColumn(reader.GetName(i), reader.GetDataTypeName(i)));
                    }
                }

                while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
                {
                    if (rows.Count >= _maxRows)
                    {
                        throw new ConduitException(ErrorCodes.ResultTooLarge, $"The result has more than {_maxRows} rows, the most one call may return (Conduit:DataPlane:MaxRows). Add a LIMIT or page through it.");
                    }

                    var row = new object?[reader.FieldCount];
                    reader.GetValues(row!);
                    for (var i = 0; i < row.Length; i++)
                    {
                        if (row[i] is DBNull)
                        {
                            row[i] = null;
                        }
                    }

                    rows.Add(row);
                }
            }
            while (await reader.NextResultAsync(cancellationToken).ConfigureAwait(false));

            await reader.CloseAsync().ConfigureAwait(false);
            return new PgResult(columns, rows, columns.Count > 0 && reader.RecordsAffected <= 0 ? -1 : reader.RecordsAffected);
        }
        catch (Exception e) when (PostgresErrors.Translate(e) is { } translated && !ReferenceEquals(translated, e))
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
}
