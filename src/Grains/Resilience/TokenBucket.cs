using Conduit.Errors;
using Conduit.Model;

namespace Conduit.Resilience;

/// <summary>
/// The tier's request-rate limit for one database: a token bucket of <c>Burst</c> tokens refilled at
/// <c>RequestsPerSecond</c>, computed from the clock on each request (no timer per tenant).
/// </summary>
public sealed class TokenBucket
{
    private readonly Lock _lock = new();
    private readonly TimeProvider _timeProvider;
    private readonly Tier _tier;
    private readonly double _capacity;
    private readonly double _perSecond;
    private double _tokens;
    private long _refilledAt;

    /// <summary>Creates a full bucket.</summary>
    public TokenBucket(Tier tier, int requestsPerSecond, int burst, TimeProvider timeProvider)
    {
        _tier = tier;
        _perSecond = requestsPerSecond;
        _capacity = burst;
        _tokens = burst;
        _timeProvider = timeProvider;
        _refilledAt = timeProvider.GetTimestamp();
    }

    /// <summary>Takes one token or throws <c>RATE_LIMITED</c> with the time until one is available.</summary>
    public void Take()
    {
        lock (_lock)
        {
            var now = _timeProvider.GetTimestamp();
            var elapsed = _timeProvider.GetElapsedTime(_refilledAt, now).TotalSeconds;
            _tokens = Math.Min(_capacity, _tokens + (elapsed * _perSecond));
            _refilledAt = now;
            if (_tokens >= 1)
            {
                _tokens -= 1;
                return;
            }

            var wait = TimeSpan.FromSeconds((1 - _tokens) / _perSecond);
            throw new ConduitException(
                ErrorCodes.RateLimited,
                $"Tier {_tier.ToWireName()} allows {_perSecond:0} requests per second per database (bursts of {_capacity:0}); retry after {Math.Max(1, Math.Ceiling(wait.TotalSeconds)):0} s or move the project to a higher tier.",
                retryAfter: wait,
                isTransient: true);
        }
    }
}
