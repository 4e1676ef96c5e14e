using System.Collections.Concurrent;
using MongoDB.Driver.Core.Configuration;
using MongoDB.Driver.Core.Connections;
using MongoDB.Driver.Core.Events;

namespace Conduit.Connectors.Mongo;

/// <summary>
/// Counts one <c>MongoClient</c>'s pooled connections from the driver's own connection-pool events
/// (added / removed, checked out / checked in), summed over the servers it talks to.
/// </summary>
/// <remarks>
/// Tracked by connection id rather than by adding and subtracting: when a server fails, the driver
/// may report a removal for a connection whose addition it never completed, and a plain counter
/// would drift below zero.
/// </remarks>
internal sealed class MongoPoolCounter
{
    private readonly ConcurrentDictionary<ConnectionId, byte> _open = new();
    private readonly ConcurrentDictionary<ConnectionId, byte> _checkedOut = new();

    /// <summary>Pooled connections now, idle or lent out.</summary>
    public int Open => _open.Count;

    /// <summary>Connections lent out to running operations now.</summary>
    public int CheckedOut => _checkedOut.Count;

    /// <summary>Subscribes to the pool events; set as the client settings' cluster configurator.</summary>
    public void Subscribe(ClusterBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.Subscribe<ConnectionPoolAddedConnectionEvent>(e => _open.TryAdd(e.ConnectionId, 0));
        builder.Subscribe<ConnectionPoolRemovedConnectionEvent>(e =>
        {
            _open.TryRemove(e.ConnectionId, out _);
            _checkedOut.TryRemove(e.ConnectionId, out _);
        });
        builder.Subscribe<ConnectionPoolCheckedOutConnectionEvent>(e => _checkedOut.TryAdd(e.ConnectionId, 0));
        builder.Subscribe<ConnectionPoolCheckedInConnectionEvent>(e => _checkedOut.TryRemove(e.ConnectionId, out _));
    }
}
