using Conduit.Connectors;
using Conduit.Model;
using Conduit.Options;
using Conduit.Resilience;
using Polly;

namespace Conduit.Tenancy;

/// <summary>
/// One database's pool under one set of tier limits: the connector, its token bucket, its concurrency
/// gate and the pipeline (breaker → timeout). A tier change starts a new generation; the old one
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

        // The rate limit, the tenant's concurrency gate and the silo's admission run before this pipeline
        // (DatabaseSlot.ExecuteAsync), as plain calls: three Polly rate-limiter strategies cost three strategy
        // hops and their state machines per call for no behaviour of Polly's own.
        Pipeline = new ResiliencePipelineBuilder { TimeProvider = timeProvider }
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
