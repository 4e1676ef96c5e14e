using Conduit.Errors;
using Polly.Timeout;

namespace Conduit.Resilience;

/// <summary>
/// Decides what counts against a circuit breaker: infrastructure failures only (unreachable, reset,
/// shut down, overloaded, timed out). A user's error — bad SQL, a constraint, a wrong Redis type —
/// never does.
/// </summary>
public static class BreakerFailures
{
    /// <summary>True when <paramref name="exception"/> is an infrastructure failure the breaker must count.</summary>
    public static bool Counts(Exception? exception) => exception switch
    {
        null => false,
        TimeoutRejectedException => true,
        ConduitException { Code: ErrorCodes.BackendUnavailable or ErrorCodes.QueryTimeout } => true,
        _ => false,
    };
}
