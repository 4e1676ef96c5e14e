namespace Conduit.Postgres;

/// <summary>The committed outcome of a <see cref="PgTransaction"/>.</summary>
/// <param name="Results">One result per statement, in the order the statements were given.</param>
[GenerateSerializer, Immutable, Alias("Conduit.PgTransactionResult")]
public sealed record PgTransactionResult([property: Id(0)] IReadOnlyList<PgResult> Results);
