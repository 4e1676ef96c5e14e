using System.Net.Sockets;
using Conduit.Errors;
using Npgsql;

namespace Conduit.Connectors.Postgres;

/// <summary>
/// Translates Npgsql's exceptions into <see cref="ConduitException"/> at the connector boundary,
/// keeping the SQLSTATE. Infrastructure failures become <c>BACKEND_UNAVAILABLE</c> (the breaker counts
/// them); the caller's own mistakes become <c>BACKEND_ERROR</c> (it never does).
/// </summary>
public static class PostgresErrors
{
    /// <summary>
    /// SQLSTATE classes that mean the server, not the statement, failed: 08 connection exception,
    /// 53 insufficient resources (e.g. 53300 too many connections), 57P operator intervention
    /// (shutdown, crash, cannot connect now), 58 system error, XX internal error, plus 28 invalid
    /// authorization and 3D000 unknown database, which no retry of the same statement can fix.
    /// </summary>
    public static bool IsInfrastructure(string sqlState)
    {
        ArgumentNullException.ThrowIfNull(sqlState);
        return sqlState.StartsWith("08", StringComparison.Ordinal)
            || sqlState.StartsWith("53", StringComparison.Ordinal)
            || sqlState.StartsWith("57P", StringComparison.Ordinal)
            || sqlState.StartsWith("58", StringComparison.Ordinal)
            || sqlState.StartsWith("XX", StringComparison.Ordinal)
            || sqlState.StartsWith("28", StringComparison.Ordinal)
            || sqlState == "3D000";
    }

    /// <summary>Translates <paramref name="exception"/>; returns null for cancellation, which the timeout strategy owns.</summary>
    public static ConduitException? Translate(Exception exception) => Translate(exception, string.Empty);

    /// <summary>
    /// Translates a failure of a statement already running on an open connection. Npgsql's own command
    /// timeout (the tier's query timeout, after it has asked the server to cancel) surfaces as an
    /// <see cref="NpgsqlException"/> over a <see cref="TimeoutException"/>: that is the statement's
    /// <c>QUERY_TIMEOUT</c>, exactly as when the Polly backstop fires first, not an unreachable server.
    /// </summary>
    public static ConduitException? TranslateExecution(Exception exception, string prefix)
    {
        ArgumentNullException.ThrowIfNull(exception);
        return exception is NpgsqlException { InnerException: TimeoutException } and not PostgresException
            ? new ConduitException(ErrorCodes.QueryTimeout, $"{prefix}The statement ran longer than the tier's query timeout and was cancelled.", isTransient: true)
            : Translate(exception, prefix);
    }

    /// <summary>
    /// Translates <paramref name="exception"/> with <paramref name="prefix"/> (e.g. <c>statements[2]: </c>) before its
    /// message, so the caller knows which statement failed; returns null for cancellation.
    /// </summary>
    public static ConduitException? Translate(Exception exception, string prefix)
    {
        ArgumentNullException.ThrowIfNull(prefix);
        var translated = TranslateCore(exception);
        return translated is null || translated.Message.StartsWith(prefix, StringComparison.Ordinal)
            ? translated
            : new ConduitException(translated.Code, prefix + translated.Message, translated.BackendCode, translated.RetryAfter, translated.IsTransient);
    }

    private static ConduitException? TranslateCore(Exception exception)
    {
        switch (exception)
        {
            case OperationCanceledException:
                return null;
            case ConduitException conduit:
                return conduit;
            case PostgresException pg when IsInfrastructure(pg.SqlState):
                return new ConduitException(ErrorCodes.BackendUnavailable, $"PostgreSQL is unavailable: {pg.SqlState} {pg.MessageText}", pg.SqlState, isTransient: true);
            case PostgresException pg:
                return new ConduitException(ErrorCodes.BackendError, $"PostgreSQL rejected the statement: {pg.SqlState} {pg.MessageText}", pg.SqlState);
            case NpgsqlException npgsql when npgsql.InnerException is TimeoutException && npgsql.Message.StartsWith("The connection pool has been exhausted", StringComparison.Ordinal):
                // Npgsql's pool wait, not the server: the tenant's own load, so it must not open the breaker.
                return new ConduitException(ErrorCodes.QueueTimeout, "Every pooled PostgreSQL connection stayed busy for the whole connection timeout. Retry later or move the project to a higher tier.", isTransient: true);
            case NpgsqlException npgsql:
                return new ConduitException(ErrorCodes.BackendUnavailable, $"PostgreSQL could not be reached: {Describe(npgsql)}", isTransient: true);
            case SocketException or IOException or TimeoutException:
                return new ConduitException(ErrorCodes.BackendUnavailable, $"PostgreSQL could not be reached: {exception.GetType().Name}.", isTransient: true);
            case InvalidCastException or NotSupportedException or ArgumentException or FormatException or OverflowException:
                return new ConduitException(ErrorCodes.InvalidRequest, $"parameters: a value cannot be sent to PostgreSQL: {exception.Message}");
            default:
                return null;
        }
    }

    private static string Describe(NpgsqlException exception)
    {
        // The innermost message names the failure (refused, reset, timed out) and never carries the password.
        Exception inner = exception;
        while (inner.InnerException is not null)
        {
            inner = inner.InnerException;
        }

        return inner is SocketException socket ? socket.SocketErrorCode.ToString() : inner.GetType().Name;
    }
}
