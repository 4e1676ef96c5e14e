namespace Conduit.Postgres;

/// <summary>Statements to run atomically on one connection of a project's PostgreSQL database.</summary>
/// <param name="Statements">The statements, in order; at least one and at most <c>Conduit:DataPlane:MaxTransactionStatements</c> (default 100).</param>
/// <param name="IsolationLevel">The isolation level, or null for the database's default (normally READ COMMITTED).</param>
/// <param name="Database">The registered database's name, or null for the project's default PostgreSQL database.</param>
[GenerateSerializer, Immutable, Alias("Conduit.PgTransaction")]
public sealed record PgTransaction(
    [property: Id(0)] IReadOnlyList<PgStatement> Statements,
    [property: Id(1)] PgIsolationLevel? IsolationLevel = null,
    [property: Id(2)] string? Database = null);
