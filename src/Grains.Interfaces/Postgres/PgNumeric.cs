namespace Conduit.Postgres;

/// <summary>
/// A PostgreSQL <c>numeric</c> that <see cref="decimal"/> cannot hold exactly: more than 28 significant
/// digits, a magnitude past ±7.9e28, or one of <c>NaN</c>, <c>Infinity</c>, <c>-Infinity</c>.
/// </summary>
/// <remarks>
/// Results carry every other numeric as <see cref="decimal"/>. As a parameter it is sent as an untyped
/// literal, so PostgreSQL reads it as the type the statement expects there (a numeric column, <c>$1::numeric</c>).
/// </remarks>
/// <param name="Value">PostgreSQL's exact text of the number, e.g. <c>123456789012345678901234567890.5</c>.</param>
[GenerateSerializer, Immutable, Alias("Conduit.PgNumeric")]
public sealed record PgNumeric([property: Id(0)] string Value)
{
    /// <summary>The exact text.</summary>
    public override string ToString() => Value;
}
