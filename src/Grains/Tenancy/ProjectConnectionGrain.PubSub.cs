using Conduit.Connectors.Redis;
using Conduit.Errors;
using Conduit.Model;
using Conduit.Redis;
using Conduit.Registry;

namespace Conduit.Tenancy;

/// <summary>
/// Redis pub/sub: one Redis subscription per channel, fanned out to every observer subscribed to it.
/// Observers hold leases and renew them by subscribing again; a sweep timer drops the expired ones
/// and subscribes again channels whose pool was replaced (tier change) or closed.
/// </summary>
/// <remarks>
/// All state here is touched on the grain's scheduler only (the delivery loops run there too), so it
/// needs no locks. While a channel has observers the project is never idle-cleaned; when the last one
/// goes, its Redis subscription ends.
/// </remarks>
public sealed partial class ProjectConnectionGrain
{
    private readonly Dictionary<(string Database, string Channel), RedisChannelSubscription> _channels = [];
    private IGrainTimer? _subscriptionSweep;

    private bool HasRedisSubscriptions => _channels.Count > 0;

    /// <inheritdoc />
    public async Task<RedisSubscriptionLease> RedisSubscribeAsync(string channel, IRedisSubscriber observer, string? database = null)
    {
        RedisChannelNames.Validate(channel);
        if (observer is null)
        {
            throw new ConduitException(ErrorCodes.InvalidRequest, "observer: a subscriber reference is required.");
        }

        var slot = RequireSlot(DatabaseType.Redis, database);
        var id = observer.GetGrainId();
        var key = (slot.Name, channel);
        var now = timeProvider.GetUtcNow();
        _channels.TryGetValue(key, out var subscription);
        var added = subscription is null || !subscription.Contains(id);
        if (added)
        {
            EnforceSubscriptionLimit(now);
        }

        if (subscription is null)
        {
            subscription = new RedisChannelSubscription(slot.Name, channel);
            _channels[key] = subscription;
        }

        var lease = dataPlaneOptions.Value.RedisSubscriptionLease;
        subscription.Renew(id, observer, now + lease);
        StartSubscriptionSweep();
        try
        {
            await EnsureListeningAsync(slot, subscription);
        }
        catch (ConduitException)
        {
            if (added)
            {
                // A subscribe that failed holds no place against the tier's limit.
                subscription.Remove(id);
                await StopChannelIfUnusedAsync(subscription);
            }

            throw;
        }
        finally
        {
            AfterDataCall();
        }

        return new RedisSubscriptionLease(channel, lease);
    }

    /// <inheritdoc />
    public async Task<bool> RedisUnsubscribeAsync(string channel, IRedisSubscriber observer, string? database = null)
    {
        RedisChannelNames.Validate(channel);
        if (observer is null)
        {
            throw new ConduitException(ErrorCodes.InvalidRequest, "observer: a subscriber reference is required.");
        }

        RequireProject();
        if (!_channels.TryGetValue((database ?? DatabaseRecord.DefaultName, channel), out var subscription) || !subscription.Remove(observer.GetGrainId()))
        {
            return false;
        }

        await StopChannelIfUnusedAsync(subscription);
        return true;
    }

    private void EnforceSubscriptionLimit(DateTimeOffset now)
    {
        var limit = CurrentLimits.MaxSubscriptions;
        var active = 0;
        foreach (var subscription in _channels.Values)
        {
            active += subscription.Live(now).Count;
        }

        if (active >= limit)
        {
            throw new ConduitException(
                ErrorCodes.SubscriptionLimit,
                $"Tier {CurrentTier.ToWireName()} allows {limit} Redis subscriptions per project and {active} are active; unsubscribe from a channel or move the project to a higher tier.");
        }
    }

    private Task EnsureListeningAsync(DatabaseSlot slot, RedisChannelSubscription subscription)
    {
        if (subscription.IsListeningOn(slot.Current?.Connector))
        {
            return Task.CompletedTask;
        }

        // Concurrent subscribers of a new channel share one SUBSCRIBE.
        if (subscription.Starting is { IsCompleted: false } starting)
        {
            return starting;
        }

        return subscription.Starting = ListenAsync(slot, subscription);
    }

    private async Task ListenAsync(DatabaseSlot slot, RedisChannelSubscription subscription)
    {
        var feed = await slot.ExecuteAsync(CurrentTier, CurrentLimits, (connector, _) => ((RedisConnector)connector).SubscribeAsync(subscription.Channel));
        if (subscription.Count == 0 || !_channels.TryGetValue((subscription.Database, subscription.Channel), out var current) || !ReferenceEquals(current, subscription))
        {
            // Every observer left while Redis was answering.
            await feed.DisposeAsync();
            return;
        }

        var previous = subscription.Feed;
        subscription.Feed = feed;
        if (previous is not null)
        {
            // Ended after the new one started, so a subscription on the same connection never lapses.
            await previous.DisposeAsync();
        }

        RedisLog.ChannelSubscribed(logger, _ref, subscription.Database, subscription.Channel);
        _ = PumpAsync(subscription, feed);
    }

    private async Task PumpAsync(RedisChannelSubscription subscription, RedisChannelFeed feed)
    {
        try
        {
            while (await feed.ReadAsync() is { } message)
            {
                if (feed.TakeDropped() is > 0 and var dropped)
                {
                    RedisLog.MessagesDropped(logger, _ref, subscription.Channel, dropped, RedisChannelFeed.Capacity);
                }

                await DeliverAsync(subscription, message);
            }
        }
        catch (Exception e)
        {
            RedisLog.PumpFailed(logger, e, _ref, subscription.Channel);
        }
        finally
        {
            // The sweep subscribes again while observers remain (a replaced or closed pool ends the feed).
            if (ReferenceEquals(subscription.Feed, feed))
            {
                subscription.Feed = null;
            }

            await feed.DisposeAsync();
        }
    }

    private async Task DeliverAsync(RedisChannelSubscription subscription, string message)
    {
        var observers = subscription.Live(timeProvider.GetUtcNow());
        if (observers.Count == 0)
        {
            return;
        }

        var timeout = dataPlaneOptions.Value.RedisDeliveryTimeout;
        var deliveries = new Task[observers.Count];
        for (var i = 0; i < observers.Count; i++)
        {
            deliveries[i] = Deliver(observers[i].Observer, subscription.Channel, message, timeout);
        }

        try
        {
            // All observers at once, and the next message only after this one reached everybody: order per channel holds.
            await Task.WhenAll(deliveries);
        }
        catch (Exception)
        {
            // Each failed delivery is handled below.
        }

        for (var i = 0; i < observers.Count; i++)
        {
            if (!deliveries[i].IsCompletedSuccessfully && subscription.Remove(observers[i].Id))
            {
                var reason = deliveries[i].Exception?.InnerException is TimeoutException ? $"no answer within {timeout.TotalSeconds:0.###} s" : "its OnMessage call failed";
                RedisLog.SubscriberDropped(logger, _ref, subscription.Channel, reason);
            }
        }

        await StopChannelIfUnusedAsync(subscription);
    }

    private Task Deliver(IRedisSubscriber observer, string channel, string message, TimeSpan timeout)
    {
        try
        {
            return observer.OnMessage(channel, message).WaitAsync(timeout, timeProvider);
        }
        catch (Exception e)
        {
            return Task.FromException(e);
        }
    }

    private async Task StopChannelIfUnusedAsync(RedisChannelSubscription subscription)
    {
        var key = (subscription.Database, subscription.Channel);
        if (subscription.Count > 0 || !_channels.TryGetValue(key, out var current) || !ReferenceEquals(current, subscription))
        {
            return;
        }

        _channels.Remove(key);
        if (_channels.Count == 0)
        {
            _subscriptionSweep?.Dispose();
            _subscriptionSweep = null;
        }

        if (subscription.Feed is { } feed)
        {
            subscription.Feed = null;
            await feed.DisposeAsync();
            RedisLog.ChannelUnsubscribed(logger, _ref, subscription.Database, subscription.Channel);
        }
    }

    private void StartSubscriptionSweep()
    {
        if (_subscriptionSweep is not null)
        {
            return;
        }

        var lease = dataPlaneOptions.Value.RedisSubscriptionLease;
        var interval = TimeSpan.FromTicks(Math.Clamp(lease.Ticks / 4, TimeSpan.FromMilliseconds(250).Ticks, TimeSpan.FromSeconds(10).Ticks));
        _subscriptionSweep = this.RegisterGrainTimer(SweepSubscriptionsAsync, new GrainTimerCreationOptions
        {
            DueTime = interval,
            Period = interval,
            Interleave = true,
            KeepAlive = false,
        });
    }

    private async Task SweepSubscriptionsAsync(CancellationToken cancellationToken)
    {
        var now = timeProvider.GetUtcNow();
        foreach (var subscription in _channels.Values.ToList())
        {
            foreach (var _ in subscription.RemoveExpired(now))
            {
                RedisLog.SubscriberDropped(logger, _ref, subscription.Channel, "its lease expired without renewal");
            }

            if (subscription.Count == 0)
            {
                await StopChannelIfUnusedAsync(subscription);
                continue;
            }

            if (!_slots.TryGetValue((DatabaseType.Redis, subscription.Database), out var slot))
            {
                continue;
            }

            try
            {
                await EnsureListeningAsync(slot, subscription);
            }
            catch (ConduitException e)
            {
                RedisLog.ResubscribeFailed(logger, _ref, subscription.Channel, e.Code);
            }
        }
    }
}
