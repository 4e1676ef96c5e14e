namespace Conduit.Postgres;

/// <summary>The outcome of a <see cref="PgCommand"/>.</summary>
/// <param name="Columns">The result columns, empty for statements that return no rows.</param>
/// <param name="Rows">The rows, each with one value per column (null for SQL NULL).</param>
/// <param name="RowsAffected">Rows changed by INSERT/UPDATE/DELETE, or -1 for a SELECT.</param>
[GenerateSerializer, Immutable, Alias("Conduit.PgResult")]
public sealed record PgResult(
    [property: Id(0)] IReadOnlyList<PgColumn> Columns,
    [property: Id(1)] IReadOnlyList<object?[]> Rows,
    [property: Id(2)] long RowsAffected);
