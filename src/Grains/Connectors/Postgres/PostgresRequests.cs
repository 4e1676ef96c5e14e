using Conduit.Errors;
using Conduit.Postgres;

namespace Conduit.Connectors.Postgres;

/// <summary>Checks PostgreSQL calls where they enter the grain, before they take a permit; each message names the field.</summary>
public static class PostgresRequests
{
    /// <summary>Validates a single-statement call.</summary>
    public static void Validate(PgCommand? command)
    {
        if (command is null)
        {
            throw Invalid("command: a PostgreSQL command is required.");
        }

        if (string.IsNullOrWhiteSpace(command.Sql))
        {
            throw Invalid("sql: a statement is required.");
        }

        ValidateDatabase(command.Database);
        PgParameters.Validate(command.Parameters, "parameters");
    }

    /// <summary>Validates a transaction call against the statement cap <paramref name="maxStatements"/>.</summary>
    public static void Validate(PgTransaction? transaction, int maxStatements)
    {
        if (transaction is null)
        {
            throw Invalid("transaction: a PostgreSQL transaction is required.");
        }

        if (transaction.Statements is not { Count: > 0 } statements)
        {
            throw Invalid("statements: at least one statement is required.");
        }

        if (statements.Count > maxStatements)
        {
            throw Invalid($"statements: {statements.Count} statements are more than the {maxStatements} one transaction may hold (Conduit:DataPlane:MaxTransactionStatements). Split the work or raise the setting.");
        }

        if (transaction.IsolationLevel is { } level && !Enum.IsDefined(level))
        {
            throw Invalid($"isolationLevel: {(int)level} is not one of read committed, repeatable read, serializable.");
        }

        ValidateDatabase(transaction.Database);
        for (var i = 0; i < statements.Count; i++)
        {
            var statement = statements[i];
            if (statement is null)
            {
                throw Invalid($"statements[{i}]: a statement is required.");
            }

            if (string.IsNullOrWhiteSpace(statement.Sql))
            {
                throw Invalid($"statements[{i}].sql: a statement is required.");
            }

            if (TransactionControl(statement.Sql) is { } keyword)
            {
                throw Invalid($"statements[{i}].sql: {keyword} is not allowed inside a transaction call: Conduit begins, commits and rolls back the transaction itself (SAVEPOINT and ROLLBACK TO are fine).");
            }

            PgParameters.Validate(statement.Parameters, $"statements[{i}].parameters");
        }
    }

    /// <summary>The transaction-control keyword <paramref name="sql"/> starts with (BEGIN, START, COMMIT, END, ABORT, ROLLBACK but not ROLLBACK TO), or null.</summary>
    public static string? TransactionControl(string sql)
    {
        ArgumentNullException.ThrowIfNull(sql);
        var rest = SkipTrivia(sql.AsSpan());
        var first = Word(rest);
        var keyword = first.ToString().ToUpperInvariant();
        switch (keyword)
        {
            case "BEGIN" or "START" or "COMMIT" or "END" or "ABORT":
                return keyword;
            case "ROLLBACK":
                var next = Word(SkipTrivia(rest[first.Length..]));
                return next.Equals("to", StringComparison.OrdinalIgnoreCase) ? null : keyword;
            default:
                return null;
        }
    }

    private static void ValidateDatabase(string? database)
    {
        if (database is not null && string.IsNullOrWhiteSpace(database))
        {
            throw Invalid("database: a registered database name is required when the field is given; omit it for the default database.");
        }
    }

    private static ReadOnlySpan<char> SkipTrivia(ReadOnlySpan<char> text)
    {
        while (true)
        {
            text = text.TrimStart();
            if (text.StartsWith("--"))
            {
                var end = text.IndexOf('\n');
                text = end < 0 ? [] : text[(end + 1)..];
            }
            else if (text.StartsWith("/*"))
            {
                var end = text.IndexOf("*/");
                text = end < 0 ? [] : text[(end + 2)..];
            }
            else
            {
                return text;
            }
        }
    }

    private static ReadOnlySpan<char> Word(ReadOnlySpan<char> text)
    {
        var length = 0;
        while (length < text.Length && char.IsAsciiLetter(text[length]))
        {
            length++;
        }

        return text[..length];
    }

    private static ConduitException Invalid(string message) => new(ErrorCodes.InvalidRequest, message);
}
