namespace Conduit.Postgres;

/// <summary>A parameter value with an explicit PostgreSQL type, for when the CLR type alone does not say it (e.g. a string that is <c>jsonb</c>).</summary>
/// <param name="Type">The PostgreSQL type name: <c>jsonb</c>, <c>json</c>, <c>uuid</c>, <c>int2</c>, <c>timestamptz</c>, <c>text[]</c>…</param>
/// <param name="Value">The value, of a CLR type that type accepts (a string for <c>jsonb</c>, a <see cref="Guid"/> for <c>uuid</c>…), or null.</param>
[GenerateSerializer, Immutable, Alias("Conduit.PgTypedValue")]
public sealed record PgTypedValue([property: Id(0)] string Type, [property: Id(1)] object? Value);
