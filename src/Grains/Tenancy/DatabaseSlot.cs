using Conduit.Connectors;
using Conduit.Diagnostics;
using Conduit.Errors;
using Conduit.Model;
using Conduit.Options;
using Conduit.Projects;
using Conduit.Registry;
using Conduit.Resilience;
using System.Threading.RateLimiting;
using Polly.CircuitBreaker;
using Polly.Timeout;

namespace Conduit.Tenancy;

/// <summary>
/// Everything a project's grain holds for one registered database: its registration, its breaker
/// (kept for the life of the activation) and its current pool generation (replaced on tier change).
/// </summary>
internal sealed class DatabaseSlot
{
    private readonly TimeProvider _timeProvider;
    private readonly Func<DatabaseSlot, Tier, TierLimits, Task<IDatabaseConnector>> _connect;
    private readonly Action<DatabaseSlot, Exception> _onUnexpected;
    private readonly SiloAdmission _admission;
    private readonly string _projectRef;
    private readonly DataPlaneEvents _events;
    private PoolGeneration? _current;
    private long _operations;
    private long _errors;

    public DatabaseSlot(
        string projectRef,
        DataPlaneEvents events,
        DatabaseRecord record,
        CircuitBreakerSettings breakerSettings,
        TimeProvider timeProvider,
        Action<DatabaseSlot, BreakerState, Exception?> onBreakerTransition,
        SiloAdmission admission,
        Func<DatabaseSlot, Tier, TierLimits, Task<IDatabaseConnector>> connect,
        Action<DatabaseSlot, Exception> onUnexpected)
    {
        _admission = admission;
        _projectRef = projectRef;
        _events = events;
        _onUnexpected = onUnexpected;
        Record = record;
        _timeProvider = timeProvider;
        _connect = connect;
        Breaker = new DatabaseBreaker(record.Type, breakerSettings, timeProvider, (state, e) => onBreakerTransition(this, state, e));
    }

    public DatabaseRecord Record { get; private set; }

    public DatabaseBreaker Breaker { get; }

    public DatabaseType Type => Record.Type;

    public string Name => Record.Name;

    public PoolGeneration? Current => _current;

    /// <summary>True while a connector exists (a pool is open).</summary>
    public bool IsOpen => _current?.Connector is not null;

    /// <summary>Runs <paramref name="operation"/> through the tier's pipeline, translating every failure into a <see cref="ConduitException"/>.</summary>
    public async Task<T> ExecuteAsync<T>(Tier tier, TierLimits limits, Func<IDatabaseConnector, CancellationToken, ValueTask<T>> operation, CancellationToken cancellationToken = default)
    {
        PoolGeneration generation;
        while (true)
        {
            generation = EnsureGeneration(tier, limits);
            if (generation.TryEnter())
            {
                break;
            }

            // Retired between reading and entering: a newer generation is (or will be) current.
            if (ReferenceEquals(_current, generation))
            {
                _current = null;
            }
        }

        var started = _timeProvider.GetTimestamp();
        string? errorCode = null;
        RateLimitLease? permit = null;
        RateLimitLease? admitted = null;
        try
        {
            // An open breaker refuses first, holding nothing; then rate limit → the tenant's concurrency gate →
            // the silo's priority admission → breaker → timeout.
            // The tenant gate comes before the silo admission so a tenant never holds silo slots while it
            // waits on its own limit; rejections before the breaker never count against it.
            if (Breaker.RejectBeforeProbe() is { } rejected)
            {
                throw rejected;
            }

            generation.Rate.Take();
            permit = await generation.Gate.AcquireAsync(cancellationToken).ConfigureAwait(false);
            admitted = await _admission.AcquireAsync(generation.Limits.Priority, generation.Limits.AcquireTimeout, cancellationToken).ConfigureAwait(false);
            var result = await generation.Pipeline.ExecuteAsync(
                static async (state, ct) =>
                {
                    var (slot, generation, operation, started) = state;
                    slot._events.PermitAcquired(slot._projectRef, slot.Type, generation.Tier, slot._timeProvider.GetElapsedTime(started));
                    var connector = await generation.GetConnectorAsync().ConfigureAwait(false);
                    return await operation(connector, ct).ConfigureAwait(false);
                },
                (this, generation, operation, started),
                cancellationToken).ConfigureAwait(false);
            Interlocked.Increment(ref _operations);
            return result;
        }
        catch (BrokenCircuitException e)
        {
            var rejection = Breaker.Rejection(e);
            errorCode = rejection.Code;
            throw rejection;
        }
        catch (TimeoutRejectedException)
        {
            errorCode = ErrorCodes.QueryTimeout;
            throw new ConduitException(ErrorCodes.QueryTimeout, $"The {Type.ToWireName()} operation ran past tier {generation.Tier.ToWireName()}'s query timeout of {generation.Limits.QueryTimeout.TotalSeconds:0.###} s and was cancelled.", isTransient: true);
        }
        catch (ConduitException e)
        {
            errorCode = e.Code;
            throw;
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            // Driver exceptions must not cross the grain boundary raw (Orleans cannot serialize most,
            // and their text may carry details): log here, answer with a clean code.
            errorCode = ErrorCodes.InternalError;
            _onUnexpected(this, e);
            throw new ConduitException(ErrorCodes.InternalError, $"An unexpected error occurred in the {Type.ToWireName()} connector; the silo log has the details.");
        }
        finally
        {
            admitted?.Dispose();
            permit?.Dispose();
            generation.Exit();
            if (errorCode is not null)
            {
                Interlocked.Increment(ref _errors);
            }

            _events.OperationCompleted(_projectRef, Type, generation.Tier, _timeProvider.GetElapsedTime(started), errorCode);
        }
    }

    /// <summary>Starts a new generation with new limits on the next call; returns the old one to retire, if any.</summary>
    public PoolGeneration? Detach()
    {
        var old = _current;
        _current = null;
        return old;
    }

    /// <summary>How long a retiring generation waits for its calls: the longest a call can take.</summary>
    public static TimeSpan DrainTimeout(TierLimits limits) => limits.AcquireTimeout + limits.QueryTimeout + TimeSpan.FromSeconds(1);

    public DatabaseStats GetStats()
    {
        var generation = _current;
        var connector = generation?.Connector;
        var pool = connector?.GetPoolStats(generation!.Gate.Waiting)
            ?? new PoolStats(0, 0, generation?.Gate.Waiting ?? 0, generation?.Limits.MinPoolSize ?? 0, generation?.Limits.MaxPoolSize ?? 0);
        return new DatabaseStats(Type, Name, connector is not null, Breaker.State, pool, generation?.InFlight ?? 0, Interlocked.Read(ref _operations), Interlocked.Read(ref _errors));
    }

    private PoolGeneration EnsureGeneration(Tier tier, TierLimits limits)
    {
        var current = _current;
        if (current is not null && current.Tier == tier && ReferenceEquals(current.Limits, limits))
        {
            return current;
        }

        var next = new PoolGeneration(tier, limits, Breaker, _admission, _timeProvider, () => _connect(this, tier, limits));
        _current = next;
        if (current is not null)
        {
            // The limits changed under us: the old generation drains and closes in the background.
            _ = current.RetireAsync(DrainTimeout(current.Limits));
        }

        return next;
    }
}
