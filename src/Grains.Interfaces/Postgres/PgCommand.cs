namespace Conduit.Postgres;

/// <summary>One parameterized SQL statement for a project's PostgreSQL database.</summary>
/// <param name="Sql">The statement text, with positional parameters <c>$1</c>, <c>$2</c>…</param>
/// <param name="Parameters">The parameter values, in order; supported CLR types are those Npgsql maps (null, bool, numbers, string, Guid, DateTime, byte[], arrays…).</param>
/// <param name="Database">The registered database's name, or null for the project's default PostgreSQL database.</param>
[GenerateSerializer, Immutable, Alias("Conduit.PgCommand")]
public sealed record PgCommand(
    [property: Id(0)] string Sql,
    [property: Id(1)] IReadOnlyList<object?>? Parameters = null,
    [property: Id(2)] string? Database = null);
