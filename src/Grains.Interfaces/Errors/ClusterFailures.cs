namespace Conduit.Errors;

/// <summary>
/// Orleans' own messaging failures, as opposed to a grain's <see cref="ConduitException"/>: the silo holding the
/// project was declared dead or is shutting down, the message was rejected or could not be forwarded, the
/// connection to the silo or gateway failed, or no answer came within Orleans' response timeout (which
/// exceeds the longest legal data call, so only a hung or lost silo gets there). Each may be retried at once:
/// Orleans places the project on a live silo.
/// </summary>
public static class ClusterFailures
{
    /// <summary>What the caller is told; the Orleans text (silo addresses, message ids) stays in the log.</summary>
    public const string Message = "The silo serving this project failed or left during the call, or no silo could take it; retry it.";

    /// <summary>When a retry makes sense.</summary>
    public static readonly TimeSpan RetryAfter = TimeSpan.FromSeconds(1);

    /// <summary>True when <paramref name="exception"/> is one of Orleans' messaging failures.</summary>
    public static bool IsClusterFailure(Exception exception) => exception is SiloUnavailableException
        or TimeoutException
        or OrleansMessageRejectionException
        or Orleans.Runtime.Messaging.ConnectionFailedException
        or GatewayTooBusyException;

    /// <summary><c>CLUSTER_UNAVAILABLE</c> for <paramref name="exception"/>, keeping it as the inner exception for local diagnostics.</summary>
    public static ConduitException ToConduitException(Exception exception) => new(Message, exception)
    {
        Code = ErrorCodes.ClusterUnavailable,
        RetryAfter = RetryAfter,
        IsTransient = true,
    };
}
