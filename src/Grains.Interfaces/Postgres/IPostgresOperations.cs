namespace Conduit.Postgres;

/// <summary>The PostgreSQL calls of a project's grain.</summary>
/// <remarks>
/// Values cross the call as the CLR types listed on <see cref="PgResult"/>; none is a driver type, so any
/// Orleans client can send and receive them.
/// </remarks>
public interface IPostgresOperations : IGrainWithStringKey
{
    /// <summary>Runs one parameterized statement on the project's PostgreSQL database.</summary>
    /// <param name="command">The statement, its parameters and the database it runs on.</param>
    /// <param name="cancellationToken">
    /// Cancels the call: the caller stops waiting at once, a call still queued never runs, and a
    /// statement already running is cancelled on the server (PostgreSQL's cancel request). A cancelled
    /// call is never counted by the circuit breaker.
    /// </param>
    Task<PgResult> PostgresQueryAsync(PgCommand command, CancellationToken cancellationToken = default);

    /// <summary>
    /// Runs <see cref="PgTransaction.Statements"/> in order on one connection between BEGIN and COMMIT;
    /// the first failing statement rolls the whole transaction back.
    /// </summary>
    /// <remarks>
    /// The transaction takes one of the tier's concurrency permits and one query timeout for all its
    /// statements; a timeout cancels the running statement and rolls back. Errors name the failing
    /// statement (<c>statements[2]: …</c>) and keep its SQLSTATE in <see cref="Errors.ConduitException.BackendCode"/>.
    /// </remarks>
    /// <param name="transaction">The statements, their isolation level and the database they run on.</param>
    /// <param name="cancellationToken">As for <see cref="PostgresQueryAsync"/>; a cancelled transaction is rolled back.</param>
    Task<PgTransactionResult> PostgresTransactionAsync(PgTransaction transaction, CancellationToken cancellationToken = default);
}
