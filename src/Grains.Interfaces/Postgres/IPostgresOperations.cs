namespace Conduit.Postgres;

/// <summary>The PostgreSQL calls of a project's grain.</summary>
public interface IPostgresOperations : IGrainWithStringKey
{
    /// <summary>Runs one parameterized statement on the project's PostgreSQL database.</summary>
    Task<PgResult> PostgresQueryAsync(PgCommand command);
}
