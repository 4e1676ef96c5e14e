using System.Diagnostics;
using Microsoft.Extensions.Logging;
using Npgsql;

namespace Conduit.Silo.Migrations;

/// <summary>
/// Applies the numbered SQL files of <c>migrations/</c> to the platform database, each once, in order,
/// and records them in <c>platform.schema_migrations</c>.
/// </summary>
/// <remarks>
/// Each file runs in its own transaction together with the row that records it, so a failed file
/// leaves nothing behind and is retried by the next run. A session advisory lock serialises runners,
/// so several silos starting at once apply each file exactly once. A recorded file whose text has
/// changed stops the run before anything is applied: an applied migration is never edited, a new
/// numbered one is added instead. Files must not use statements that cannot run in a transaction
/// (<c>CREATE INDEX CONCURRENTLY</c>, <c>VACUUM</c>). Does not own <c>dataSource</c>.
/// </remarks>
public sealed partial class MigrationRunner
{
    /// <summary>The advisory lock key the runners share (the bytes of "ConduitM").</summary>
    public const long LockKey = 0x436F6E647569744D;

    private const string CreateHistorySql = """
        CREATE SCHEMA IF NOT EXISTS platform;
        CREATE TABLE IF NOT EXISTS platform.schema_migrations (
            version    integer     PRIMARY KEY,
            name       text        NOT NULL,
            checksum   text        NOT NULL,
            applied_at timestamptz NOT NULL DEFAULT now()
        );
        """;

    private readonly NpgsqlDataSource _dataSource;
    private readonly ILogger<MigrationRunner> _logger;

    /// <summary>Creates a runner for the migrations embedded in the silo.</summary>
    public MigrationRunner(NpgsqlDataSource dataSource, ILogger<MigrationRunner> logger)
        : this(dataSource, logger, Migration.LoadEmbedded())
    {
    }

    /// <summary>Creates a runner for <paramref name="migrations"/> (tests, or a tool with its own files).</summary>
    /// <remarks>
    /// A list rather than <see cref="IEnumerable{T}"/> on purpose: a DI container resolves any
    /// <c>IEnumerable&lt;T&gt;</c> (as empty), so it would pick this constructor and apply nothing.
    /// </remarks>
    /// <exception cref="InvalidOperationException">Two migrations share a version.</exception>
    public MigrationRunner(NpgsqlDataSource dataSource, ILogger<MigrationRunner> logger, IReadOnlyList<Migration> migrations)
    {
        ArgumentNullException.ThrowIfNull(dataSource);
        ArgumentNullException.ThrowIfNull(logger);
        _dataSource = dataSource;
        _logger = logger;
        Migrations = Migration.Order(migrations);
    }

    /// <summary>The migrations this runner knows, ordered by version.</summary>
    public IReadOnlyList<Migration> Migrations { get; }

    /// <summary>Applies every pending migration and returns the names of those it applied (empty when up to date).</summary>
    /// <exception cref="MigrationException">A recorded migration has changed, or a pending one failed (it was rolled back).</exception>
    /// <exception cref="NpgsqlException">The platform database could not be reached.</exception>
    public async Task<IReadOnlyList<string>> ApplyAsync(CancellationToken cancellationToken = default)
    {
        await using var connection = await _dataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await LockAsync(connection, cancellationToken).ConfigureAwait(false);
        try
        {
            await ExecuteAsync(connection, null, CreateHistorySql, cancellationToken).ConfigureAwait(false);
            var recorded = await ReadRecordedAsync(connection, cancellationToken).ConfigureAwait(false);
            Verify(recorded);

            var applied = new List<string>();
            foreach (var migration in Migrations.Where(m => !recorded.ContainsKey(m.Version)))
            {
                await ApplyOneAsync(connection, migration, cancellationToken).ConfigureAwait(false);
                applied.Add(migration.Name);
            }

            if (applied.Count == 0)
            {
                LogUpToDate(_logger, Migrations.Count);
            }

            return applied;
        }
        finally
        {
            await UnlockAsync(connection).ConfigureAwait(false);
        }
    }

    private async Task LockAsync(NpgsqlConnection connection, CancellationToken cancellationToken)
    {
        await using var tryLock = new NpgsqlCommand("SELECT pg_try_advisory_lock($1)", connection);
        tryLock.Parameters.Add(new NpgsqlParameter { Value = LockKey });
        if (await tryLock.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false) is true)
        {
            return;
        }

        LogWaitingForLock(_logger);
        await using var waitLock = new NpgsqlCommand("SELECT pg_advisory_lock($1)", connection) { CommandTimeout = 0 };
        waitLock.Parameters.Add(new NpgsqlParameter { Value = LockKey });
        await waitLock.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
    }

    private async Task UnlockAsync(NpgsqlConnection connection)
    {
        if (connection.State != System.Data.ConnectionState.Open)
        {
            return;
        }

        try
        {
            // Not cancellable on purpose: the lock must go even when the run was cancelled.
            await using var unlock = new NpgsqlCommand("SELECT pg_advisory_unlock($1)", connection);
            unlock.Parameters.Add(new NpgsqlParameter { Value = LockKey });
            await unlock.ExecuteNonQueryAsync(CancellationToken.None).ConfigureAwait(false);
        }
        catch (NpgsqlException ex)
        {
            // A broken connection has released the session's locks already; the pool discards it.
            LogUnlockFailed(_logger, ex);
        }
    }

    private static async Task<Dictionary<int, (string Name, string Checksum)>> ReadRecordedAsync(NpgsqlConnection connection, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand("SELECT version, name, checksum FROM platform.schema_migrations", connection);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        var recorded = new Dictionary<int, (string Name, string Checksum)>();
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            recorded[reader.GetInt32(0)] = (reader.GetString(1), reader.GetString(2));
        }

        return recorded;
    }

    private void Verify(Dictionary<int, (string Name, string Checksum)> recorded)
    {
        var known = Migrations.ToDictionary(m => m.Version);
        foreach (var (version, (name, checksum)) in recorded.OrderBy(r => r.Key))
        {
            if (!known.TryGetValue(version, out var migration))
            {
                // A newer build applied it; this one runs fine on the newer schema or its own checks fail.
                LogUnknownRecorded(_logger, version, name);
                continue;
            }

            if (migration.Name != name)
            {
                throw new MigrationException(
                    $"Migration version {version} was applied as {name}.sql, but this build has {migration.FileName} under that number: an applied migration is never renamed or renumbered.");
            }

            if (migration.Checksum != checksum)
            {
                throw new MigrationException(
                    $"Migration {migration.FileName} has changed since it was applied (recorded checksum {checksum}, file checksum {migration.Checksum}): an applied migration is never edited; restore the file and add the change as a new numbered migration.");
            }
        }
    }

    private async Task ApplyOneAsync(NpgsqlConnection connection, Migration migration, CancellationToken cancellationToken)
    {
        LogApplying(_logger, migration.FileName);
        var started = Stopwatch.GetTimestamp();
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            await ExecuteAsync(connection, transaction, migration.Sql, cancellationToken).ConfigureAwait(false);
        }
        catch (PostgresException ex)
        {
            throw new MigrationException($"Migration {migration.FileName} failed and was rolled back: {ex.SqlState} {ex.MessageText}{(ex.Where is { Length: > 0 } where ? $" ({where})" : string.Empty)}", ex);
        }

        await using (var record = new NpgsqlCommand("INSERT INTO platform.schema_migrations (version, name, checksum) VALUES ($1, $2, $3)", connection, transaction))
        {
            record.Parameters.Add(new NpgsqlParameter { Value = migration.Version });
            record.Parameters.Add(new NpgsqlParameter { Value = migration.Name });
            record.Parameters.Add(new NpgsqlParameter { Value = migration.Checksum });
            await record.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }

        await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
        LogApplied(_logger, migration.FileName, Stopwatch.GetElapsedTime(started).TotalMilliseconds);
    }

    private static async Task ExecuteAsync(NpgsqlConnection connection, NpgsqlTransaction? transaction, string sql, CancellationToken cancellationToken)
    {
        // No timeout: a migration that rewrites a large table takes as long as it takes.
        await using var command = new NpgsqlCommand(sql, connection, transaction) { CommandTimeout = 0 };
        await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
    }

    [LoggerMessage(EventId = 3201, Level = LogLevel.Information, Message = "Applying migration {FileName}.")]
    private static partial void LogApplying(ILogger logger, string fileName);

    [LoggerMessage(EventId = 3202, Level = LogLevel.Information, Message = "Applied migration {FileName} in {ElapsedMilliseconds:F0} ms.")]
    private static partial void LogApplied(ILogger logger, string fileName, double elapsedMilliseconds);

    [LoggerMessage(EventId = 3203, Level = LogLevel.Information, Message = "The platform schema is up to date ({Count} migrations).")]
    private static partial void LogUpToDate(ILogger logger, int count);

    [LoggerMessage(EventId = 3204, Level = LogLevel.Information, Message = "Another process is applying migrations; waiting for it to finish.")]
    private static partial void LogWaitingForLock(ILogger logger);

    [LoggerMessage(EventId = 3205, Level = LogLevel.Warning, Message = "Migration {Version} ({Name}) is recorded but not known to this build; it was applied by a newer one.")]
    private static partial void LogUnknownRecorded(ILogger logger, int version, string name);

    [LoggerMessage(EventId = 3206, Level = LogLevel.Warning, Message = "Could not release the migration lock; closing the connection releases it.")]
    private static partial void LogUnlockFailed(ILogger logger, Exception exception);
}
