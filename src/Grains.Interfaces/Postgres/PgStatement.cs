namespace Conduit.Postgres;

/// <summary>One parameterized statement of a <see cref="PgTransaction"/>.</summary>
/// <param name="Sql">Exactly one SQL statement, with positional parameters <c>$1</c>, <c>$2</c>…; transaction control (BEGIN, COMMIT, ROLLBACK) is Conduit's.</param>
/// <param name="Parameters">The parameter values, in order; the CLR types <see cref="PgCommand.Parameters"/> accepts.</param>
[GenerateSerializer, Immutable, Alias("Conduit.PgStatement")]
public sealed record PgStatement(
    [property: Id(0)] string Sql,
    [property: Id(1)] IReadOnlyList<object?>? Parameters = null)
{
    /// <summary>A statement with positional parameters: <c>PgStatement.Of("insert into t values ($1, $2)", 1, "a")</c>.</summary>
    public static PgStatement Of(string sql, params object?[] parameters) => new(sql, parameters);
}
