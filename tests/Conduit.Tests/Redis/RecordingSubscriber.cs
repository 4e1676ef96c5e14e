using System.Collections.Concurrent;
using Conduit.Redis;

namespace Conduit.Tests.Redis;

/// <summary>An observer that records what it receives; optionally fails every call.</summary>
public sealed class RecordingSubscriber(bool fail = false) : IRedisSubscriber
{
    private readonly ConcurrentQueue<(string Channel, string Message)> _received = new();
    private int _calls;

    public IReadOnlyList<(string Channel, string Message)> Received => [.. _received];

    public int Calls => Volatile.Read(ref _calls);

    public Task OnMessage(string channel, string message)
    {
        Interlocked.Increment(ref _calls);
        if (fail)
        {
            throw new InvalidOperationException("this subscriber always fails");
        }

        _received.Enqueue((channel, message));
        return Task.CompletedTask;
    }
}
