using Conduit.Errors;
using Conduit.Projects;
using Conduit.Redis;

namespace Conduit.Client;

/// <summary>
/// A live subscription to a Redis channel, from <see cref="RedisClient.SubscribeAsync(string, Func{string, string, Task}, string)"/>.
/// Renews its lease in the background; dispose it to unsubscribe.
/// </summary>
/// <remarks>
/// If a renewal fails (silo restarting, breaker open), it is retried every second; messages published
/// while the subscription was lapsed are not replayed (Redis pub/sub keeps no history).
/// </remarks>
public sealed class RedisSubscription : IAsyncDisposable
{
    private static readonly TimeSpan RetryAfterFailure = TimeSpan.FromSeconds(1);

    private readonly IProjectConnectionGrain _grain;
    private readonly IGrainFactory _grains;
    private readonly string? _database;
    private readonly Subscriber _subscriber;
    private readonly IRedisSubscriber _reference;
    private readonly CancellationTokenSource _stop = new();
    private Task? _renewals;
    private int _disposed;

    internal RedisSubscription(IProjectConnectionGrain grain, IGrainFactory grains, string channel, string? database, Func<string, string, Task> handler)
    {
        _grain = grain;
        _grains = grains;
        _database = database;
        Channel = channel;

        // Orleans holds observer objects weakly: this field keeps it alive as long as the subscription.
        _subscriber = new Subscriber(handler);
        _reference = grains.CreateObjectReference<IRedisSubscriber>(_subscriber);
    }

    /// <summary>The channel.</summary>
    public string Channel { get; }

    /// <summary>The lease the silo granted at the last renewal.</summary>
    public TimeSpan Lease { get; private set; }

    /// <summary>The last renewal's failure, or null when the last renewal succeeded.</summary>
    public Exception? LastRenewalError { get; private set; }

    /// <summary>How many times the handler threw.</summary>
    public long HandlerFailures => Interlocked.Read(ref _subscriber.Failures);

    /// <summary>Unsubscribes now and stops renewing. Safe to call more than once.</summary>
    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) == 1)
        {
            return;
        }

        await _stop.CancelAsync().ConfigureAwait(false);
        if (_renewals is { } renewals)
        {
            await renewals.ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        }

        try
        {
            await _grain.RedisUnsubscribeAsync(Channel, _reference, _database).ConfigureAwait(false);
        }
        catch (Exception e) when (e is ConduitException or OrleansException or TimeoutException)
        {
            // The silo drops the subscription when its lease runs out anyway.
        }
        finally
        {
            _grains.DeleteObjectReference<IRedisSubscriber>(_reference);
            _stop.Dispose();
        }
    }

    internal async Task StartAsync()
    {
        Lease = (await _grain.RedisSubscribeAsync(Channel, _reference, _database).ConfigureAwait(false)).Duration;
        _renewals = RenewAsync(_stop.Token);
    }

    private async Task RenewAsync(CancellationToken stop)
    {
        var delay = Lease / 3;
        while (!stop.IsCancellationRequested)
        {
            try
            {
                await Task.Delay(delay, stop).ConfigureAwait(false);
                Lease = (await _grain.RedisSubscribeAsync(Channel, _reference, _database).ConfigureAwait(false)).Duration;
                LastRenewalError = null;
                delay = Lease / 3;
            }
            catch (OperationCanceledException) when (stop.IsCancellationRequested)
            {
                return;
            }
            catch (Exception e) when (e is ConduitException or OrleansException or TimeoutException)
            {
                LastRenewalError = e;
                delay = RetryAfterFailure;
            }
        }
    }

    /// <summary>The observer object Orleans calls; one call at a time, in order.</summary>
    private sealed class Subscriber(Func<string, string, Task> handler) : IRedisSubscriber
    {
        public long Failures;

        public async Task OnMessage(string channel, string message)
        {
            try
            {
                await handler(channel, message).ConfigureAwait(false);
            }
            catch (Exception)
            {
                // A failing handler must not end the subscription (a failed call makes the silo drop it).
                Interlocked.Increment(ref Failures);
            }
        }
    }
}
