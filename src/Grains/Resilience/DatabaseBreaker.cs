using Conduit.Errors;
using Conduit.Model;
using Conduit.Options;
using Conduit.Projects;
using Polly;
using Polly.CircuitBreaker;

namespace Conduit.Resilience;

/// <summary>
/// One project's circuit breaker for one database. It outlives pool generations (a tier change keeps
/// the breaker's state) and lives as long as the grain activation.
/// </summary>
public sealed class DatabaseBreaker
{
    private readonly CircuitBreakerStateProvider _state = new();
    private readonly CircuitBreakerManualControl _control = new();
    private readonly TimeProvider _timeProvider;
    private readonly CircuitBreakerSettings _settings;
    private long _openedUntilTicks;

    /// <summary>Builds the breaker; <paramref name="onTransition"/> sees every state change.</summary>
    public DatabaseBreaker(DatabaseType type, CircuitBreakerSettings settings, TimeProvider timeProvider, Action<BreakerState, Exception?> onTransition)
    {
        ArgumentNullException.ThrowIfNull(settings);
        Type = type;
        _settings = settings;
        _timeProvider = timeProvider;
        Pipeline = new ResiliencePipelineBuilder { TimeProvider = timeProvider }
            .AddCircuitBreaker(new CircuitBreakerStrategyOptions
            {
                FailureRatio = settings.FailureRatio,
                MinimumThroughput = settings.MinimumThroughput,
                SamplingDuration = settings.SamplingDuration,
                BreakDuration = settings.BreakDuration,
                ShouldHandle = args => ValueTask.FromResult(BreakerFailures.Counts(args.Outcome.Exception)),
                StateProvider = _state,
                ManualControl = _control,
                OnOpened = args =>
                {
                    // Isolation opens "forever" (TimeSpan.MaxValue): no probe time to count down to.
                    var now = _timeProvider.GetUtcNow();
                    var until = args.IsManual || args.BreakDuration >= DateTimeOffset.MaxValue - now ? DateTimeOffset.MaxValue : now + args.BreakDuration;
                    Volatile.Write(ref _openedUntilTicks, until.UtcTicks);
                    onTransition(args.IsManual ? BreakerState.Isolated : BreakerState.Open, args.Outcome.Exception);
                    return ValueTask.CompletedTask;
                },
                OnHalfOpened = _ =>
                {
                    onTransition(BreakerState.HalfOpen, null);
                    return ValueTask.CompletedTask;
                },
                OnClosed = _ =>
                {
                    onTransition(BreakerState.Closed, null);
                    return ValueTask.CompletedTask;
                },
            })
            .Build();
    }

    /// <summary>The database type this breaker guards.</summary>
    public DatabaseType Type { get; }

    /// <summary>The breaker strategy alone, composed into each generation's pipeline.</summary>
    public ResiliencePipeline Pipeline { get; }

    /// <summary>The current state.</summary>
    public BreakerState State => _state.CircuitState switch
    {
        CircuitState.Closed => BreakerState.Closed,
        CircuitState.Open => BreakerState.Open,
        CircuitState.HalfOpen => BreakerState.HalfOpen,
        CircuitState.Isolated => BreakerState.Isolated,
        _ => BreakerState.Closed,
    };

    /// <summary>Holds the breaker open until <see cref="ResetAsync"/>.</summary>
    public Task IsolateAsync() => _control.IsolateAsync();

    /// <summary>Closes the breaker and forgets counted failures.</summary>
    public Task ResetAsync() => _control.CloseAsync();

    /// <summary>
    /// <c>CIRCUIT_OPEN</c> when the breaker is isolated, or open with time left before its probe: the call is
    /// refused before it takes a token, a permit or a silo slot. Null when the call must go through the
    /// breaker (closed, half-open, or open with the break over, where Polly lets the probe through).
    /// </summary>
    public ConduitException? RejectBeforeProbe()
    {
        switch (_state.CircuitState)
        {
            case CircuitState.Isolated:
                return Isolated();
            case CircuitState.Open:
                var left = OpenedUntil - _timeProvider.GetUtcNow();
                return left > TimeSpan.Zero ? Open(left) : null;
            default:
                return null;
        }
    }

    /// <summary>Turns Polly's rejection into <c>CIRCUIT_OPEN</c> with the time left until the half-open probe.</summary>
    public ConduitException Rejection(BrokenCircuitException exception)
    {
        ArgumentNullException.ThrowIfNull(exception);
        if (exception is IsolatedCircuitException)
        {
            return Isolated();
        }

        var left = exception.RetryAfter ?? (OpenedUntil - _timeProvider.GetUtcNow());
        return Open(left < TimeSpan.Zero ? TimeSpan.Zero : left);
    }

    private DateTimeOffset OpenedUntil => new(Volatile.Read(ref _openedUntilTicks), TimeSpan.Zero);

    private ConduitException Isolated() => new(
        ErrorCodes.CircuitOpen,
        $"The {Type.ToWireName()} circuit breaker is isolated by an administrator; calls are refused until it is reset.",
        retryAfter: _settings.BreakDuration,
        isTransient: true);

    private ConduitException Open(TimeSpan left)
    {
        return new ConduitException(
            ErrorCodes.CircuitOpen,
            $"The {Type.ToWireName()} circuit breaker is open after repeated infrastructure failures; the next probe is allowed in {Math.Ceiling(left.TotalSeconds):0} s.",
            retryAfter: left,
            isTransient: true);
    }
}
