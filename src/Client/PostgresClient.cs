using Conduit.Postgres;
using Conduit.Projects;

namespace Conduit.Client;

/// <summary>Parameterized SQL against a project's PostgreSQL database, through its grain.</summary>
public sealed class PostgresClient
{
    private readonly IProjectConnectionGrain _grain;

    internal PostgresClient(IProjectConnectionGrain grain) => _grain = grain;

    /// <summary>Runs <paramref name="sql"/> with positional parameters <c>$1…</c> and returns its rows.</summary>
    public Task<PgResult> QueryAsync(string sql, params object?[] parameters) =>
        _grain.PostgresQueryAsync(new PgCommand(sql, parameters));

    /// <summary>Runs a statement as described (parameters, database), cancellable.</summary>
    /// <param name="command">The statement, its parameters and the database it runs on.</param>
    /// <param name="cancellationToken">
    /// Stops waiting at once; a statement still queued never runs and one already running is cancelled
    /// on the server.
    /// </param>
    public Task<PgResult> QueryAsync(PgCommand command, CancellationToken cancellationToken = default) =>
        _grain.PostgresQueryAsync(command, cancellationToken);

    /// <summary>Runs a statement on a named database of the project.</summary>
    public Task<PgResult> QueryOnAsync(string database, string sql, params object?[] parameters) =>
        _grain.PostgresQueryAsync(new PgCommand(sql, parameters, database));

    /// <summary>Runs a statement and returns the number of rows it changed.</summary>
    public async Task<long> ExecuteAsync(string sql, params object?[] parameters) =>
        (await _grain.PostgresQueryAsync(new PgCommand(sql, parameters)).ConfigureAwait(false)).RowsAffected;

    /// <summary>Runs a query and returns the first column of the first row, or null.</summary>
    public async Task<object?> ScalarAsync(string sql, params object?[] parameters)
    {
        var result = await _grain.PostgresQueryAsync(new PgCommand(sql, parameters)).ConfigureAwait(false);
        return result.Rows.Count > 0 && result.Rows[0].Length > 0 ? result.Rows[0][0] : null;
    }

    /// <summary>
    /// Runs <paramref name="statements"/> atomically on one connection (BEGIN … COMMIT, rolled back on any error);
    /// returns one result per statement. E.g. <c>TransactionAsync(PgStatement.Of("update a set n = n - $1", 5), PgStatement.Of("update b set n = n + $1", 5))</c>.
    /// </summary>
    public Task<PgTransactionResult> TransactionAsync(params PgStatement[] statements) =>
        _grain.PostgresTransactionAsync(new PgTransaction(statements));

    /// <summary>Runs <paramref name="statements"/> atomically at <paramref name="isolationLevel"/>.</summary>
    public Task<PgTransactionResult> TransactionAsync(PgIsolationLevel isolationLevel, params PgStatement[] statements) =>
        _grain.PostgresTransactionAsync(new PgTransaction(statements, isolationLevel));

    /// <summary>Runs a transaction as described, e.g. on a named database; a cancelled transaction is rolled back.</summary>
    public Task<PgTransactionResult> TransactionAsync(PgTransaction transaction, CancellationToken cancellationToken = default) =>
        _grain.PostgresTransactionAsync(transaction, cancellationToken);
}
