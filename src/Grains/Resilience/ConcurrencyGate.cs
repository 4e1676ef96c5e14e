using System.Threading.RateLimiting;
using Conduit.Errors;
using Conduit.Model;
using Conduit.Options;

namespace Conduit.Resilience;

/// <summary>
/// The tier's concurrency limit for one database: <see cref="TierLimits.MaxConcurrent"/> permits, a
/// queue of <see cref="TierLimits.QueueLimit"/> and an acquire timeout, as a Polly rate-limiter source.
/// </summary>
/// <remarks>Disposed with the pool generation that owns it.</remarks>
public sealed class ConcurrencyGate : IDisposable
{
    private readonly ConcurrencyLimiter _limiter;
    private readonly Tier _tier;
    private readonly TierLimits _limits;
    private readonly TimeProvider _timeProvider;

    /// <summary>Creates the gate for one tier's limits.</summary>
    public ConcurrencyGate(Tier tier, TierLimits limits, TimeProvider timeProvider)
    {
        ArgumentNullException.ThrowIfNull(limits);
        _tier = tier;
        _limits = limits;
        _timeProvider = timeProvider;
        _limiter = new ConcurrencyLimiter(new ConcurrencyLimiterOptions
        {
            PermitLimit = limits.MaxConcurrent,
            QueueLimit = limits.QueueLimit,
            QueueProcessingOrder = QueueProcessingOrder.OldestFirst,
        });
    }

    /// <summary>Operations waiting for a permit now.</summary>
    public int Waiting => (int)(_limiter.GetStatistics()?.CurrentQueuedCount ?? 0);

    /// <summary>Permits held now.</summary>
    public int Running => _limits.MaxConcurrent - (int)(_limiter.GetStatistics()?.CurrentAvailablePermits ?? _limits.MaxConcurrent);

    /// <summary>Waits for a permit; throws <c>QUEUE_TIMEOUT</c> when the queue is full or the acquire timeout passes.</summary>
    public async ValueTask<RateLimitLease> AcquireAsync(CancellationToken cancellationToken)
    {
        var immediate = _limiter.AttemptAcquire();
        if (immediate.IsAcquired)
        {
            return immediate;
        }

        immediate.Dispose();
        using var timeout = new CancellationTokenSource(_limits.AcquireTimeout, _timeProvider);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(timeout.Token, cancellationToken);
        RateLimitLease lease;
        try
        {
            lease = await _limiter.AcquireAsync(1, linked.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (timeout.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
        {
            throw Rejected($"no permit was free within the acquire timeout of {_limits.AcquireTimeout.TotalSeconds:0.###} s");
        }

        if (!lease.IsAcquired)
        {
            lease.Dispose();
            throw Rejected($"the queue of {_limits.QueueLimit} is full");
        }

        return lease;
    }

    /// <inheritdoc />
    public void Dispose() => _limiter.Dispose();

    private ConduitException Rejected(string why) => new(
        ErrorCodes.QueueTimeout,
        $"Tier {_tier.ToWireName()} allows {_limits.MaxConcurrent} concurrent operations per database; {Running} are running and {why}. Retry later or move the project to a higher tier.",
        retryAfter: TimeSpan.FromSeconds(1),
        isTransient: true);
}
