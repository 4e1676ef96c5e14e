namespace Conduit.Postgres;

/// <summary>One parameterized SQL statement for a project's PostgreSQL database.</summary>
/// <param name="Sql">The statement text, with positional parameters <c>$1</c>, <c>$2</c>…</param>
/// <param name="Parameters">
/// The parameter values, in order: null, <see cref="bool"/>, <see cref="short"/>, <see cref="int"/>, <see cref="long"/>,
/// <see cref="float"/>, <see cref="double"/>, <see cref="decimal"/>, <see cref="PgNumeric"/>, <see cref="string"/>,
/// <see cref="char"/>, <see cref="Guid"/>, <see cref="DateOnly"/>, <see cref="TimeOnly"/>, <see cref="DateTime"/>
/// (<c>Utc</c> → timestamptz, otherwise timestamp), <see cref="DateTimeOffset"/>, <see cref="TimeSpan"/>,
/// <see cref="PgInterval"/>, <c>byte[]</c> (bytea), <see cref="PgTypedValue"/> (an explicit type such as jsonb),
/// and arrays of these (nullable elements allowed).
/// </param>
/// <param name="Database">The registered database's name, or null for the project's default PostgreSQL database.</param>
[GenerateSerializer, Immutable, Alias("Conduit.PgCommand")]
public sealed record PgCommand(
    [property: Id(0)] string Sql,
    [property: Id(1)] IReadOnlyList<object?>? Parameters = null,
    [property: Id(2)] string? Database = null);
