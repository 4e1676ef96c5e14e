namespace Conduit.Errors;

/// <summary>The stable error codes Conduit returns; the REST API maps each to one HTTP status.</summary>
public static class ErrorCodes
{
    /// <summary>No or a wrong credential (401).</summary>
    public const string Unauthorized = "UNAUTHORIZED";

    /// <summary>A valid credential that does not cover this project (403).</summary>
    public const string Forbidden = "FORBIDDEN";

    /// <summary>The project is not registered (404).</summary>
    public const string ProjectNotFound = "PROJECT_NOT_FOUND";

    /// <summary>The project exists already (409).</summary>
    public const string ProjectExists = "PROJECT_EXISTS";

    /// <summary>The project has no database of that type or name (404).</summary>
    public const string DatabaseNotRegistered = "DATABASE_NOT_REGISTERED";

    /// <summary>A database of that type and name is registered already (409).</summary>
    public const string DatabaseExists = "DATABASE_EXISTS";

    /// <summary>The request is malformed; the message names the field (400).</summary>
    public const string InvalidRequest = "INVALID_REQUEST";

    /// <summary>The Redis command is not in the supported set (400).</summary>
    public const string UnsupportedCommand = "UNSUPPORTED_COMMAND";

    /// <summary>The request body is larger than the configured limit (413).</summary>
    public const string PayloadTooLarge = "PAYLOAD_TOO_LARGE";

    /// <summary>The database's circuit breaker is open; retry after <c>retryAfterSeconds</c> (503).</summary>
    public const string CircuitOpen = "CIRCUIT_OPEN";

    /// <summary>The tier's concurrency limit and its queue were full for the whole acquire timeout (503).</summary>
    public const string QueueTimeout = "QUEUE_TIMEOUT";

    /// <summary>The operation ran past the tier's query timeout and was cancelled (504).</summary>
    public const string QueryTimeout = "QUERY_TIMEOUT";

    /// <summary>The tier's request rate was exceeded (429).</summary>
    public const string RateLimited = "RATE_LIMITED";

    /// <summary>The project holds as many Redis subscriptions as its tier allows (429).</summary>
    public const string SubscriptionLimit = "SUBSCRIPTION_LIMIT";

    /// <summary>The database rejected the operation itself (SQL error, Redis error); a user error (422).</summary>
    public const string BackendError = "BACKEND_ERROR";

    /// <summary>The database could not be reached or failed as infrastructure (503).</summary>
    public const string BackendUnavailable = "BACKEND_UNAVAILABLE";

    /// <summary>The result would be larger than the configured row cap (422).</summary>
    public const string ResultTooLarge = "RESULT_TOO_LARGE";

    /// <summary>A stored secret could not be decrypted: wrong key or tampered ciphertext (500).</summary>
    public const string SecretUnreadable = "SECRET_UNREADABLE";

    /// <summary>The platform store (registry) is unavailable (503).</summary>
    public const string PlatformUnavailable = "PLATFORM_UNAVAILABLE";

    /// <summary>The silo holding the project failed or left during the call, or the call could not reach a silo; retry (503).</summary>
    public const string ClusterUnavailable = "CLUSTER_UNAVAILABLE";

    /// <summary>An unexpected failure inside Conduit; details are in the silo log only (500).</summary>
    public const string InternalError = "INTERNAL_ERROR";
}
