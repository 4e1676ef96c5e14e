using Conduit.Errors;
using Conduit.Model;
using Conduit.Options;
using Conduit.Projects;
using Conduit.Resilience;
using Microsoft.Extensions.Time.Testing;
using Polly;
using Polly.CircuitBreaker;

namespace Conduit.Tests.Unit;

/// <summary>The breaker's time-driven behaviour on a fake clock: break duration, retry-after, one half-open probe.</summary>
public sealed class BreakerClockTests
{
    private static readonly ConduitException Down = new(ErrorCodes.BackendUnavailable, "down");

    private static DatabaseBreaker Create(FakeTimeProvider time, List<BreakerState> transitions) => new(
        DatabaseType.PostgreSql,
        new CircuitBreakerSettings { FailureRatio = 0.5, MinimumThroughput = 2, SamplingDuration = TimeSpan.FromSeconds(30), BreakDuration = TimeSpan.FromSeconds(15) },
        time,
        (state, _) => transitions.Add(state));

    private static async Task<string> RunAsync(DatabaseBreaker breaker, Func<ValueTask> body)
    {
        try
        {
            await breaker.Pipeline.ExecuteAsync(async _ => await body());
            return "OK";
        }
        catch (BrokenCircuitException e)
        {
            return breaker.Rejection(e).Code;
        }
        catch (ConduitException e)
        {
            return e.Code;
        }
    }

    [Fact]
    public async Task Open_RetryAfterCountsDownOnTheClock_ThenHalfOpenProbeCloses()
    {
        var time = new FakeTimeProvider();
        var transitions = new List<BreakerState>();
        var breaker = Create(time, transitions);

        await RunAsync(breaker, () => throw Down);
        await RunAsync(breaker, () => throw Down);
        Assert.Equal(BreakerState.Open, breaker.State);

        time.Advance(TimeSpan.FromSeconds(10));
        try
        {
            await breaker.Pipeline.ExecuteAsync(_ => ValueTask.CompletedTask);
            Assert.Fail("an open breaker must reject");
        }
        catch (BrokenCircuitException e)
        {
            var rejection = breaker.Rejection(e);
            Assert.Equal(ErrorCodes.CircuitOpen, rejection.Code);
            Assert.Equal(TimeSpan.FromSeconds(5), rejection.RetryAfter);
        }

        time.Advance(TimeSpan.FromSeconds(5));
        Assert.Equal("OK", await RunAsync(breaker, () => ValueTask.CompletedTask));
        Assert.Equal(BreakerState.Closed, breaker.State);
        Assert.Equal([BreakerState.Open, BreakerState.HalfOpen, BreakerState.Closed], transitions);
    }

    [Fact]
    public async Task HalfOpen_ProbeFails_ReopensForAnotherBreak()
    {
        var time = new FakeTimeProvider();
        var transitions = new List<BreakerState>();
        var breaker = Create(time, transitions);
        await RunAsync(breaker, () => throw Down);
        await RunAsync(breaker, () => throw Down);

        time.Advance(TimeSpan.FromSeconds(15));
        Assert.Equal(ErrorCodes.BackendUnavailable, await RunAsync(breaker, () => throw Down));

        Assert.Equal(BreakerState.Open, breaker.State);
        Assert.Equal(ErrorCodes.CircuitOpen, await RunAsync(breaker, () => ValueTask.CompletedTask));
        Assert.Equal([BreakerState.Open, BreakerState.HalfOpen, BreakerState.Open], transitions);
    }

    [Fact]
    public async Task HalfOpen_OnlyOneProbeAtATime()
    {
        var time = new FakeTimeProvider();
        var breaker = Create(time, []);
        await RunAsync(breaker, () => throw Down);
        await RunAsync(breaker, () => throw Down);
        time.Advance(TimeSpan.FromSeconds(15));

        var release = new TaskCompletionSource();
        var probe = RunAsync(breaker, async () => await release.Task);
        var second = await RunAsync(breaker, () => ValueTask.CompletedTask);
        release.SetResult();

        Assert.Equal(ErrorCodes.CircuitOpen, second);
        Assert.Equal("OK", await probe);
        Assert.Equal(BreakerState.Closed, breaker.State);
    }

    [Fact]
    public async Task UserErrors_NeverOpenTheBreaker()
    {
        var time = new FakeTimeProvider();
        var breaker = Create(time, []);

        for (var i = 0; i < 50; i++)
        {
            await RunAsync(breaker, () => throw new ConduitException(ErrorCodes.BackendError, "syntax error", "42601"));
        }

        Assert.Equal(BreakerState.Closed, breaker.State);
    }
}
