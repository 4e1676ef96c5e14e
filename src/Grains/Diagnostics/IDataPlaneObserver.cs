using Conduit.Model;
using Conduit.Projects;

namespace Conduit.Diagnostics;

/// <summary>
/// Sees what the tenant grains do: operations, waits, breaker transitions, pools, health. Metrics and
/// the platform's connection log are observers. Every method is called on the data path or a grain
/// turn: implementations must return at once (count, or enqueue for a background writer), never block,
/// never throw.
/// </summary>
public interface IDataPlaneObserver
{
    /// <summary>An operation finished: <paramref name="errorCode"/> is null on success, else its <see cref="Errors.ErrorCodes"/> code.</summary>
    void OperationCompleted(string projectRef, DatabaseType type, Tier tier, TimeSpan elapsed, string? errorCode);

    /// <summary>An operation got its permits (rate, tier concurrency, silo admission) after waiting <paramref name="waited"/>.</summary>
    void PermitAcquired(string projectRef, DatabaseType type, Tier tier, TimeSpan waited);

    /// <summary>A breaker changed state; <paramref name="cause"/> is an error code, never a message.</summary>
    void BreakerChanged(string projectRef, DatabaseType type, string database, Tier tier, BreakerState state, string? cause);

    /// <summary>A pool was built for a database.</summary>
    void PoolOpened(string projectRef, DatabaseType type, string database, Tier tier);

    /// <summary>A pool was disposed; <paramref name="reason"/> is <c>idle</c>, <c>tier change</c>, <c>closed by request</c> or a deactivation reason.</summary>
    void PoolClosed(string projectRef, DatabaseType type, string database, string reason);

    /// <summary>A periodic sample of an open pool (from the grain's idle timer).</summary>
    void PoolSampled(string projectRef, DatabaseType type, string database, Tier tier, PoolStats pool, BreakerState breaker);

    /// <summary>A database was pinged.</summary>
    void HealthChecked(string projectRef, DatabaseHealth health);

    /// <summary>The project's grain deactivated: its per-project series and state can go.</summary>
    void ProjectDeactivated(string projectRef);
}
