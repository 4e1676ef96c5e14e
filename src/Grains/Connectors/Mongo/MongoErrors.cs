using System.Net.Sockets;
using Conduit.Errors;
using MongoDB.Bson;
using MongoDB.Driver;

namespace Conduit.Connectors.Mongo;

/// <summary>
/// Translates MongoDB.Driver exceptions into <see cref="ConduitException"/> at the connector boundary,
/// keeping the server's numeric error code as the backend code (<c>11000</c> for a duplicate key).
/// Infrastructure failures become <c>BACKEND_UNAVAILABLE</c> or <c>QUERY_TIMEOUT</c> (the breaker counts
/// them); the caller's own mistakes — a duplicate key, a bad operator, a failed validator, a write
/// concern error — become <c>BACKEND_ERROR</c> (it never does).
/// </summary>
public static class MongoErrors
{
    /// <summary>The backend code of a duplicate key error, which the REST API answers with 409.</summary>
    public const string DuplicateKey = "11000";

    // Server codes that mean the server cannot serve anyone right now, not that the operation was wrong:
    // HostUnreachable, HostNotFound, AuthenticationFailed, NetworkTimeout, ShutdownInProgress,
    // FailedToSatisfyReadPreference, PrimarySteppedDown, NetworkInterfaceExceededTimeLimit, SocketException,
    // NotWritablePrimary, InterruptedAtShutdown, InterruptedDueToReplStateChange, NotPrimaryNoSecondaryOk,
    // NotPrimaryOrSecondary.
    private static readonly HashSet<int> InfrastructureCodes = [6, 7, 18, 89, 91, 133, 189, 202, 9001, 10107, 11600, 11602, 13435, 13436];

    // MaxTimeMSExpired and ExceededTimeLimit: the server stopped the operation at the tier's query timeout.
    private static readonly HashSet<int> TimeoutCodes = [50, 262];

    // The legacy duplicate key codes are reported as 11000 so callers need to know only one.
    private static readonly HashSet<int> DuplicateKeyCodes = [11000, 11001, 12582];

    /// <summary>True when <paramref name="exception"/> is a MongoDB duplicate key error.</summary>
    public static bool IsDuplicateKey(ConduitException exception) =>
        exception is { Code: ErrorCodes.BackendError, BackendCode: DuplicateKey };

    /// <summary>Translates <paramref name="exception"/>; returns null for cancellation (the timeout strategy owns it) and for failures it does not know.</summary>
    public static ConduitException? Translate(Exception exception)
    {
        switch (exception)
        {
            case OperationCanceledException:
                return null;
            case ConduitException conduit:
                return conduit;
            case MongoAuthenticationException:
                return new ConduitException(ErrorCodes.BackendUnavailable, "MongoDB refused the registered credentials; register the database again with working ones.", "AuthenticationFailed", isTransient: true);
            case MongoConnectionException connection when IsTimeout(connection):
                return new ConduitException(ErrorCodes.QueryTimeout, "MongoDB did not answer within the tier's query timeout.", isTransient: true);
            case MongoConnectionException connection:
                return new ConduitException(ErrorCodes.BackendUnavailable, $"MongoDB could not be reached: {Describe(connection)}.", Describe(connection), isTransient: true);
            case MongoWaitQueueFullException:
                return PoolExhausted();
            case TimeoutException timeout when timeout.Message.Contains("waiting for a connection", StringComparison.OrdinalIgnoreCase):
                return PoolExhausted();
            case TimeoutException:
                // Server selection: the driver's message lists the topology; say what it means instead.
                return new ConduitException(ErrorCodes.BackendUnavailable, "MongoDB could not be reached: no server was available within the server selection timeout.", "ServerSelectionTimeout", isTransient: true);
            case MongoWriteException write:
                return Write(write.WriteError?.Code, write.WriteError?.Message, write.WriteConcernError?.Code, write.WriteConcernError?.Message, null);
            case MongoBulkWriteException bulk:
                return Bulk(bulk);
            case MongoExecutionTimeoutException:
                return new ConduitException(ErrorCodes.QueryTimeout, "MongoDB stopped the operation at the tier's query timeout (maxTimeMS).", "50", isTransient: true);
            case MongoDuplicateKeyException duplicate:
                return new ConduitException(ErrorCodes.BackendError, $"MongoDB rejected the write: {duplicate.ErrorMessage}", DuplicateKey);
            case MongoWriteConcernException concern when concern.Result?.GetValue("writeConcernError", null) is BsonDocument error:
                return Write(null, null, error.GetValue("code", BsonNull.Value) is { IsNumeric: true } code ? code.ToInt32() : null, error.GetValue("errmsg", string.Empty).ToString(), null);
            case MongoNotPrimaryException or MongoNodeIsRecoveringException:
                return new ConduitException(ErrorCodes.BackendUnavailable, "MongoDB cannot serve requests: the server is not a writable primary or is recovering.", ((MongoCommandException)exception).Code.ToString(System.Globalization.CultureInfo.InvariantCulture), isTransient: true);
            case MongoCommandException command:
                return Command(command.Code, command.CodeName, command.ErrorMessage);
            case MongoServerException server:
                return new ConduitException(ErrorCodes.BackendError, $"MongoDB rejected the operation: {server.Message}");
            case MongoIncompatibleDriverException:
                return new ConduitException(ErrorCodes.BackendUnavailable, "MongoDB's wire version is not one MongoDB.Driver 3.14 supports (MongoDB 4.0 or later is required).", "IncompatibleServer", isTransient: true);
            case MongoClientException client:
                return new ConduitException(ErrorCodes.InvalidRequest, $"arguments: {client.Message}");
            case BsonException or FormatException or ArgumentException:
                return new ConduitException(ErrorCodes.InvalidRequest, $"arguments: {exception.Message}");
            case SocketException or IOException:
                return new ConduitException(ErrorCodes.BackendUnavailable, $"MongoDB could not be reached: {exception.GetType().Name}.", isTransient: true);
            default:
                return null;
        }
    }

    private static ConduitException Command(int code, string? codeName, string? message)
    {
        var backendCode = Code(code);
        var name = string.IsNullOrEmpty(codeName) ? backendCode : $"{backendCode} {codeName}";
        if (InfrastructureCodes.Contains(code))
        {
            return new ConduitException(ErrorCodes.BackendUnavailable, $"MongoDB cannot serve requests: {name}.", backendCode, isTransient: true);
        }

        return TimeoutCodes.Contains(code)
            ? new ConduitException(ErrorCodes.QueryTimeout, "MongoDB stopped the operation at the tier's query timeout (maxTimeMS).", backendCode, isTransient: true)
            : new ConduitException(ErrorCodes.BackendError, $"MongoDB rejected the operation: {name}: {message}", backendCode);
    }

    private static ConduitException Write(int? code, string? message, int? concernCode, string? concernMessage, string? where)
    {
        if (code is { } c)
        {
            return new ConduitException(ErrorCodes.BackendError, $"MongoDB rejected the write{where}: {message}", Code(c));
        }

        // Write concern errors: the write reached the server but could not be confirmed as asked; the
        // caller chose the write concern, so this is theirs to handle, not the breaker's.
        return new ConduitException(ErrorCodes.BackendError, $"MongoDB could not satisfy the write concern{where}: {concernMessage}", concernCode is { } cc ? Code(cc) : null);
    }

    private static ConduitException Bulk(MongoBulkWriteException bulk)
    {
        var first = bulk.WriteErrors.Count > 0 ? bulk.WriteErrors[0] : null;
        var where = first is null ? null : bulk.WriteErrors.Count == 1
            ? $" at index {first.Index}"
            : $" at index {first.Index} (and {bulk.WriteErrors.Count - 1} more)";
        return Write(first?.Code, first?.Message, bulk.WriteConcernError?.Code, bulk.WriteConcernError?.Message, where);
    }

    private static string Code(int code) =>
        (DuplicateKeyCodes.Contains(code) ? 11000 : code).ToString(System.Globalization.CultureInfo.InvariantCulture);

    private static ConduitException PoolExhausted() =>
        // The driver's own pool wait, not the server: the tenant's load, so it must not open the breaker.
        new(ErrorCodes.QueueTimeout, "Every pooled MongoDB connection stayed busy for the whole acquire timeout. Retry later or move the project to a higher tier.", isTransient: true);

    private static bool IsTimeout(Exception exception)
    {
        for (var inner = exception.InnerException; inner is not null; inner = inner.InnerException)
        {
            if (inner is TimeoutException or SocketException { SocketErrorCode: SocketError.TimedOut })
            {
                return true;
            }
        }

        return false;
    }

    private static string Describe(MongoConnectionException exception)
    {
        // The innermost failure names what happened (refused, reset, closed) and never carries the password.
        Exception inner = exception;
        while (inner.InnerException is not null)
        {
            inner = inner.InnerException;
        }

        return inner switch
        {
            SocketException socket => socket.SocketErrorCode.ToString(),
            EndOfStreamException => "ConnectionClosed",
            _ when ReferenceEquals(inner, exception) => "ConnectionFailed",
            _ => inner.GetType().Name,
        };
    }
}
