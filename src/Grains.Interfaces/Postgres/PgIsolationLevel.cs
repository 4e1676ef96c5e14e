namespace Conduit.Postgres;

/// <summary>The isolation level a <see cref="PgTransaction"/> runs at; wire names <c>read committed</c>, <c>repeatable read</c>, <c>serializable</c>.</summary>
public enum PgIsolationLevel
{
    /// <summary>READ COMMITTED: each statement sees rows committed before it began (PostgreSQL's default).</summary>
    ReadCommitted = 0,

    /// <summary>REPEATABLE READ: every statement sees the snapshot taken at the transaction's first statement.</summary>
    RepeatableRead = 1,

    /// <summary>SERIALIZABLE: as if the transactions ran one after another; conflicts fail with SQLSTATE 40001, to retry.</summary>
    Serializable = 2,
}
