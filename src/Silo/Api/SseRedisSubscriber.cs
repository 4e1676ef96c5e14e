using System.Threading.Channels;
using Conduit.Redis;

namespace Conduit.Silo.Api;

/// <summary>
/// The observer behind one Server-Sent Events subscription: buffers the grain's messages for the
/// HTTP response. When the HTTP client reads slower than messages arrive, at most
/// <see cref="Capacity"/> wait and the rest are dropped and counted (sent as an <c>event: dropped</c>).
/// </summary>
/// <remarks>Lives as long as its request; the endpoint holds it strongly because Orleans references observers weakly.</remarks>
internal sealed class SseRedisSubscriber : IRedisSubscriber
{
    /// <summary>Messages that may wait for the HTTP client.</summary>
    public const int Capacity = 1000;

    private readonly Channel<(string Channel, string Message)> _messages = Channel.CreateBounded<(string, string)>(new BoundedChannelOptions(Capacity)
    {
        FullMode = BoundedChannelFullMode.Wait,
        SingleReader = true,
    });

    private long _dropped;

    /// <summary>The buffered messages.</summary>
    public ChannelReader<(string Channel, string Message)> Reader => _messages.Reader;

    /// <inheritdoc />
    public Task OnMessage(string channel, string message)
    {
        if (!_messages.Writer.TryWrite((channel, message)))
        {
            Interlocked.Increment(ref _dropped);
        }

        return Task.CompletedTask;
    }

    /// <summary>Messages dropped since the last call.</summary>
    public long TakeDropped() => Interlocked.Exchange(ref _dropped, 0);
}
