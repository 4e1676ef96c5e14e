using Conduit.Redis;
using Orleans.Runtime;

namespace Conduit.Connectors.Redis;

/// <summary>
/// One channel a project's grain listens to: its observers with their lease expiry, and the one
/// Redis subscription (<see cref="Feed"/>) whose messages are fanned out to all of them.
/// </summary>
/// <remarks>Owned by the project's grain and touched only on its scheduler, so it needs no locks.</remarks>
public sealed class RedisChannelSubscription(string database, string channel)
{
    private readonly Dictionary<GrainId, (IRedisSubscriber Observer, DateTimeOffset Expires)> _observers = [];

    /// <summary>The registered Redis database's name.</summary>
    public string Database { get; } = database;

    /// <summary>The channel name.</summary>
    public string Channel { get; } = channel;

    /// <summary>Observers subscribed now, expired or not.</summary>
    public int Count => _observers.Count;

    /// <summary>The Redis subscription while one is open.</summary>
    public RedisChannelFeed? Feed { get; set; }

    /// <summary>A subscription being opened, so concurrent subscribers share it.</summary>
    public Task? Starting { get; set; }

    /// <summary>True when <paramref name="id"/> is subscribed.</summary>
    public bool Contains(GrainId id) => _observers.ContainsKey(id);

    /// <summary>Adds <paramref name="observer"/> or extends its lease to <paramref name="expires"/>; true when it was not subscribed.</summary>
    public bool Renew(GrainId id, IRedisSubscriber observer, DateTimeOffset expires)
    {
        var added = !_observers.ContainsKey(id);
        _observers[id] = (observer, expires);
        return added;
    }

    /// <summary>Removes an observer; true when it was subscribed.</summary>
    public bool Remove(GrainId id) => _observers.Remove(id);

    /// <summary>Removes the observers whose lease ran out by <paramref name="now"/> and returns their ids.</summary>
    public IReadOnlyList<GrainId> RemoveExpired(DateTimeOffset now)
    {
        List<GrainId>? expired = null;
        foreach (var (id, entry) in _observers)
        {
            if (entry.Expires <= now)
            {
                (expired ??= []).Add(id);
            }
        }

        if (expired is null)
        {
            return [];
        }

        foreach (var id in expired)
        {
            _observers.Remove(id);
        }

        return expired;
    }

    /// <summary>A snapshot of the observers whose lease is still running at <paramref name="now"/>.</summary>
    public IReadOnlyList<(GrainId Id, IRedisSubscriber Observer)> Live(DateTimeOffset now)
    {
        var live = new List<(GrainId, IRedisSubscriber)>(_observers.Count);
        foreach (var (id, entry) in _observers)
        {
            if (entry.Expires > now)
            {
                live.Add((id, entry.Observer));
            }
        }

        return live;
    }

    /// <summary>True when the open Redis subscription lives on <paramref name="connector"/> (the pool in use now).</summary>
    public bool IsListeningOn(IDatabaseConnector? connector) =>
        Feed is { IsClosed: false } feed && connector is not null && ReferenceEquals(feed.Connector, connector);
}
