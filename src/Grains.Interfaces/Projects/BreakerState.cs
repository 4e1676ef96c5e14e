namespace Conduit.Projects;

/// <summary>A circuit breaker's state; the numbers are the <c>circuit_breaker_state</c> metric values.</summary>
public enum BreakerState
{
    /// <summary>Calls flow; failures are counted.</summary>
    Closed = 0,

    /// <summary>Calls are rejected with <c>CIRCUIT_OPEN</c> without touching the network.</summary>
    Open = 1,

    /// <summary>One probe call is let through; its outcome closes or reopens the breaker.</summary>
    HalfOpen = 2,

    /// <summary>Held open by an administrator until reset.</summary>
    Isolated = 3,
}
