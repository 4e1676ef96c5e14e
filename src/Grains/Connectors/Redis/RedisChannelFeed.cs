using System.Threading.Channels;
using StackExchange.Redis;

namespace Conduit.Connectors.Redis;

/// <summary>
/// The messages of one Redis channel, subscribed on one connector's multiplexer (its subscriber
/// connection), read in publication order. At most <see cref="Capacity"/> messages wait to be read;
/// past that, new ones are dropped and counted, so a stuck reader cannot grow the silo's memory.
/// </summary>
/// <remarks>Closed when disposed and when its connector is disposed (tier change, pool closed, deactivation); a closed feed reads null.</remarks>
public sealed class RedisChannelFeed : IAsyncDisposable
{
    /// <summary>Messages that may wait to be read before new ones are dropped.</summary>
    public const int Capacity = 10_000;

    private readonly ChannelMessageQueue _queue;
    private readonly Channel<string> _buffer = System.Threading.Channels.Channel.CreateBounded<string>(new BoundedChannelOptions(Capacity)
    {
        FullMode = BoundedChannelFullMode.Wait,
        SingleReader = true,
        SingleWriter = true,
    });

    // Never disposed: it owns no timer, and the connector may close the feed from another thread at any time.
    private readonly CancellationTokenSource _closed = new();
    private long _dropped;
    private int _disposed;

    internal RedisChannelFeed(RedisConnector connector, string channel, ChannelMessageQueue queue)
    {
        Connector = connector;
        Channel = channel;
        _queue = queue;

        // The queue's own loop is sequential, so the buffer receives messages in publication order.
        queue.OnMessage(message =>
        {
            if (!_buffer.Writer.TryWrite(message.Message.ToString()))
            {
                Interlocked.Increment(ref _dropped);
            }
        });
        _ = queue.Completion.ContinueWith(_ => _buffer.Writer.TryComplete(), CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
    }

    /// <summary>The connector whose multiplexer holds the subscription.</summary>
    public RedisConnector Connector { get; }

    /// <summary>The channel name.</summary>
    public string Channel { get; }

    /// <summary>True once the feed delivers nothing more.</summary>
    public bool IsClosed => _closed.IsCancellationRequested || _buffer.Reader.Completion.IsCompleted;

    /// <summary>The next message, or null once the feed is closed.</summary>
    public async ValueTask<string?> ReadAsync()
    {
        try
        {
            return await _buffer.Reader.ReadAsync(_closed.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            return null;
        }
        catch (ChannelClosedException)
        {
            return null;
        }
    }

    /// <summary>How many messages were dropped because the buffer was full since the last call.</summary>
    public long TakeDropped() => Interlocked.Exchange(ref _dropped, 0);

    /// <summary>Stops reading: a pending <see cref="ReadAsync"/> returns null. Does not unsubscribe.</summary>
    public void Close() => _closed.Cancel();

    /// <summary>Closes the feed and unsubscribes it from Redis (best effort: a dead connection has no subscription left to end).</summary>
    public async ValueTask DisposeAsync()
    {
        Close();
        if (Interlocked.Exchange(ref _disposed, 1) == 1)
        {
            return;
        }

        Connector.Forget(this);
        try
        {
            await _queue.UnsubscribeAsync().ConfigureAwait(false);
        }
        catch (Exception e) when (e is RedisException or ObjectDisposedException or TimeoutException)
        {
            // The connection is gone or going: Redis drops its subscriptions with it.
        }
    }
}
