namespace Conduit.Errors;

/// <summary>
/// The one exception type that crosses grain calls. Driver exceptions are translated into it at the
/// connector boundary (Orleans cannot serialize them), keeping the SQLSTATE or server error code.
/// </summary>
/// <remarks>Messages never contain connection strings, passwords or API keys.</remarks>
[GenerateSerializer, Alias("Conduit.ConduitException")]
public sealed class ConduitException : Exception
{
    /// <summary>Creates an exception with a stable <paramref name="code"/> and a message saying what to change.</summary>
    public ConduitException(string code, string message, string? backendCode = null, TimeSpan? retryAfter = null, bool isTransient = false)
        : base(message)
    {
        Code = code;
        BackendCode = backendCode;
        RetryAfter = retryAfter;
        IsTransient = isTransient;
    }

    /// <summary>Required by the serializer and analyzers; prefer the coded constructor.</summary>
    public ConduitException()
        : this(ErrorCodes.InternalError, "Internal error.")
    {
    }

    /// <summary>Required by analyzers; prefer the coded constructor.</summary>
    public ConduitException(string message)
        : this(ErrorCodes.InternalError, message)
    {
    }

    /// <summary>Required by analyzers; the inner exception is not serialized across grain calls.</summary>
    public ConduitException(string message, Exception innerException)
        : base(message, innerException)
    {
        Code = ErrorCodes.InternalError;
    }

    /// <summary>The stable code, one of <see cref="ErrorCodes"/>.</summary>
    [Id(0)]
    public string Code { get; init; }

    /// <summary>The database's own code: SQLSTATE for PostgreSQL, the error prefix for Redis (e.g. <c>WRONGTYPE</c>), the server code for MongoDB.</summary>
    [Id(1)]
    public string? BackendCode { get; init; }

    /// <summary>When a retry can succeed, for <see cref="ErrorCodes.CircuitOpen"/> and <see cref="ErrorCodes.RateLimited"/>.</summary>
    [Id(2)]
    public TimeSpan? RetryAfter { get; init; }

    /// <summary>True when the same call may succeed later without change.</summary>
    [Id(3)]
    public bool IsTransient { get; init; }
}
