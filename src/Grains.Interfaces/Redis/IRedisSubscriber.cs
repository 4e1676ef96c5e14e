namespace Conduit.Redis;

/// <summary>
/// Receives the messages of the Redis channels it is subscribed to through
/// <see cref="IRedisOperations.RedisSubscribeAsync"/>. Create one with
/// <c>IGrainFactory.CreateObjectReference&lt;IRedisSubscriber&gt;(instance)</c> and keep the instance
/// referenced for as long as it subscribes (Orleans holds it weakly).
/// </summary>
public interface IRedisSubscriber : IGrainObserver
{
    /// <summary>One message published to <paramref name="channel"/>. Messages of a channel arrive in order, one at a time.</summary>
    /// <remarks>A call that fails or runs past the delivery timeout ends the subscription; the next renewal restores it.</remarks>
    Task OnMessage(string channel, string message);
}
