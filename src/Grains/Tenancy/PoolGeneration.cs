using Conduit.Connectors;
using Conduit.Model;
using Conduit.Options;
using Conduit.Resilience;
using System.Threading.RateLimiting;
using Polly;
using Polly.RateLimiting;

namespace Conduit.Tenancy;

/// <summary>
/// One database's pool under one set of tier limits: the connector, its concurrency gate and the
/// pipeline (rate limit → breaker → timeout). A tier change starts a new generation; the old one
/// finishes its calls in flight and is then disposed, so no call fails because of the change.
/// </summary>
internal sealed class PoolGeneration
{
    private readonly Func<Task<IDatabaseConnector>> _connect;
    private readonly TaskCompletionSource _drained = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private Task<IDatabaseConnector>? _connector;
    private int _inFlight;
    private volatile bool _retired;

    public PoolGeneration(Tier tier, TierLimits limits, DatabaseBreaker breaker, SiloAdmission admission, TimeProvider timeProvider, Func<Task<IDatabaseConnector>> connect)
    {
        Tier = tier;
        Limits = limits;
        _connect = connect;
        Gate = new ConcurrencyGate(tier, limits, timeProvider);
        Rate = new TokenBucket(tier, limits.RequestsPerSecond, limits.Burst, timeProvider);

        // rate limit → the tenant's concurrency gate → the silo's priority admission → breaker → timeout.
        // The tenant gate comes before the silo admission so a tenant never holds silo slots while it
        // waits on its own limit; rejections before the breaker never count against it.
        Pipeline = new ResiliencePipelineBuilder { TimeProvider = timeProvider }
            .AddRateLimiter(new RateLimiterStrategyOptions
            {
                Name = "tier-rate",
                RateLimiter = _ =>
                {
                    Rate.Take();
                    return ValueTask.FromResult<RateLimitLease>(NoLease.Instance);
                },
            })
            .AddRateLimiter(new RateLimiterStrategyOptions { Name = "tier-concurrency", RateLimiter = args => Gate.AcquireAsync(args.Context.CancellationToken) })
            .AddRateLimiter(new RateLimiterStrategyOptions { Name = "silo-admission", RateLimiter = args => admission.AcquireAsync(limits.Priority, limits.AcquireTimeout, args.Context.CancellationToken) })
            .AddPipeline(breaker.Pipeline)
            .AddTimeout(limits.QueryTimeout)
            .Build();
    }

    public TokenBucket Rate { get; }

    public Tier Tier { get; }

    public TierLimits Limits { get; }

    public ConcurrencyGate Gate { get; }

    public ResiliencePipeline Pipeline { get; }

    public int InFlight => Volatile.Read(ref _inFlight);

    /// <summary>The connector if it has been built and is usable.</summary>
    public IDatabaseConnector? Connector => _connector is { IsCompletedSuccessfully: true } task ? task.Result : null;

    public bool TryEnter()
    {
        Interlocked.Increment(ref _inFlight);
        if (!_retired)
        {
            return true;
        }

        Exit();
        return false;
    }

    public void Exit()
    {
        if (Interlocked.Decrement(ref _inFlight) == 0 && _retired)
        {
            _drained.TrySetResult();
        }
    }

    /// <summary>The connector, built on first use; a failed build is retried by the next call.</summary>
    public Task<IDatabaseConnector> GetConnectorAsync()
    {
        var current = _connector;
        if (current is null || current.IsFaulted || current.IsCanceled)
        {
            var next = _connect();
            current = Interlocked.CompareExchange(ref _connector, next, current) == current ? next : _connector!;
        }

        return current;
    }

    /// <summary>Stops new calls, waits for calls in flight (at most <paramref name="drainTimeout"/>), then disposes the connector.</summary>
    public async Task RetireAsync(TimeSpan drainTimeout)
    {
        _retired = true;
        if (InFlight == 0)
        {
            _drained.TrySetResult();
        }

        await _drained.Task.WaitAsync(drainTimeout).ContinueWith(static _ => { }, TaskScheduler.Default).ConfigureAwait(false);
        if (_connector is { } pending)
        {
            // Wait for a connect still in progress without rethrowing its failure: a pool that never
            // opened has nothing to close.
            await ((Task)pending).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
            if (pending.IsCompletedSuccessfully)
            {
                await pending.Result.DisposeAsync().ConfigureAwait(false);
            }
        }

        Gate.Dispose();
    }
}
