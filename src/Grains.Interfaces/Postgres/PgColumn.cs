namespace Conduit.Postgres;

/// <summary>A result column: its name and PostgreSQL type name (e.g. <c>integer</c>, <c>text</c>, <c>jsonb</c>).</summary>
[GenerateSerializer, Immutable, Alias("Conduit.PgColumn")]
public sealed record PgColumn([property: Id(0)] string Name, [property: Id(1)] string Type);
