using Conduit.Model;
using Conduit.Projects;
using Microsoft.Extensions.Logging;

namespace Conduit.Diagnostics;

/// <summary>Fans events out to every registered <see cref="IDataPlaneObserver"/>; one observer's failure never reaches the data path.</summary>
public sealed partial class DataPlaneEvents(IEnumerable<IDataPlaneObserver> observers, ILogger<DataPlaneEvents> logger) : IDataPlaneObserver
{
    private readonly IDataPlaneObserver[] _observers = [.. observers];

    /// <inheritdoc />
    public void OperationCompleted(string projectRef, DatabaseType type, Tier tier, TimeSpan elapsed, string? errorCode) =>
        Each(o => o.OperationCompleted(projectRef, type, tier, elapsed, errorCode));

    /// <inheritdoc />
    public void PermitAcquired(string projectRef, DatabaseType type, Tier tier, TimeSpan waited) =>
        Each(o => o.PermitAcquired(projectRef, type, tier, waited));

    /// <inheritdoc />
    public void BreakerChanged(string projectRef, DatabaseType type, string database, Tier tier, BreakerState state, string? cause) =>
        Each(o => o.BreakerChanged(projectRef, type, database, tier, state, cause));

    /// <inheritdoc />
    public void PoolOpened(string projectRef, DatabaseType type, string database, Tier tier) =>
        Each(o => o.PoolOpened(projectRef, type, database, tier));

    /// <inheritdoc />
    public void PoolClosed(string projectRef, DatabaseType type, string database, string reason) =>
        Each(o => o.PoolClosed(projectRef, type, database, reason));

    /// <inheritdoc />
    public void PoolSampled(string projectRef, DatabaseType type, string database, Tier tier, PoolStats pool, BreakerState breaker) =>
        Each(o => o.PoolSampled(projectRef, type, database, tier, pool, breaker));

    /// <inheritdoc />
    public void HealthChecked(string projectRef, DatabaseHealth health) =>
        Each(o => o.HealthChecked(projectRef, health));

    /// <inheritdoc />
    public void ProjectDeactivated(string projectRef) =>
        Each(o => o.ProjectDeactivated(projectRef));

    private void Each(Action<IDataPlaneObserver> call)
    {
        foreach (var observer in _observers)
        {
            try
            {
                call(observer);
            }
#pragma warning disable CA1031 // An observer is telemetry: whatever it throws must not fail the tenant's call.
            catch (Exception e)
#pragma warning restore CA1031
            {
                ObserverFailed(logger, e, observer.GetType().Name);
            }
        }
    }

    [LoggerMessage(EventId = 1101, Level = LogLevel.Warning, Message = "Data-plane observer {Observer} failed; the operation was not affected")]
    private static partial void ObserverFailed(ILogger logger, Exception exception, string observer);
}
