namespace Conduit.Postgres;

/// <summary>The PostgreSQL calls of a project's grain.</summary>
/// <remarks>
/// Values cross the call as the CLR types listed on <see cref="PgResult"/>; none is a driver type, so any
/// Orleans client can send and receive them.
/// </remarks>
public interface IPostgresOperations : IGrainWithStringKey
{
    /// <summary>Runs one parameterized statement on the project's PostgreSQL database.</summary>
    Task<PgResult> PostgresQueryAsync(PgCommand command);

    /// <summary>
    /// Runs <see cref="PgTransaction.Statements"/> in order on one connection between BEGIN and COMMIT;
    /// the first failing statement rolls the whole transaction back.
    /// </summary>
    /// <remarks>
    /// The transaction takes one of the tier's concurrency permits and one query timeout for all its
    /// statements; a timeout cancels the running statement and rolls back. Errors name the failing
    /// statement (<c>statements[2]: …</c>) and keep its SQLSTATE in <see cref="Errors.ConduitException.BackendCode"/>.
    /// </remarks>
    Task<PgTransactionResult> PostgresTransactionAsync(PgTransaction transaction);
}
