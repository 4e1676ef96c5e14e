namespace Conduit.Postgres;

/// <summary>The outcome of a <see cref="PgCommand"/> or of one <see cref="PgStatement"/>.</summary>
/// <remarks>
/// Values by PostgreSQL type, none lossy: bool → <see cref="bool"/>; int2/int4/int8 → <see cref="short"/>/<see cref="int"/>/<see cref="long"/>;
/// numeric → <see cref="decimal"/> when it holds the value exactly (scale kept), else <see cref="PgNumeric"/>; money → <see cref="decimal"/>;
/// float4/float8 → <see cref="float"/>/<see cref="double"/> (NaN and ±Infinity kept); text, varchar, char(n), name, xml, json, jsonb → <see cref="string"/>;
/// "char" → <see cref="char"/>; uuid → <see cref="Guid"/>; date → <see cref="DateOnly"/>; time → <see cref="TimeOnly"/>;
/// timetz → <see cref="DateTimeOffset"/> (date part 0001-01-02); timestamptz → <see cref="DateTime"/> of kind <c>Utc</c>;
/// timestamp → <see cref="DateTime"/> of kind <c>Unspecified</c>; interval → <see cref="PgInterval"/>; bytea → <c>byte[]</c>;
/// oid → <see cref="uint"/>; arrays → arrays of the nullable element type (<c>int?[]</c>, <c>string?[]</c>, <c>int?[,]</c> for two dimensions).
/// <c>infinity</c>/<c>-infinity</c> dates and timestamps are the type's MaxValue/MinValue, as Npgsql maps them both ways.
/// A column of any other type is refused with <c>INVALID_REQUEST</c> naming it: cast it in SQL (<c>::text</c>).
/// </remarks>
/// <param name="Columns">The result columns, empty for statements that return no rows.</param>
/// <param name="Rows">The rows, each with one value per column (null for SQL NULL).</param>
/// <param name="RowsAffected">Rows changed by INSERT/UPDATE/DELETE, or -1 for a SELECT.</param>
[GenerateSerializer, Immutable, Alias("Conduit.PgResult")]
public sealed record PgResult(
    [property: Id(0)] IReadOnlyList<PgColumn> Columns,
    [property: Id(1)] IReadOnlyList<object?[]> Rows,
    [property: Id(2)] long RowsAffected);
