namespace Conduit.Redis;

/// <summary>The Redis calls of a project's grain.</summary>
public interface IRedisOperations : IGrainWithStringKey
{
    /// <summary>Runs one Redis command on the project's Redis database.</summary>
    Task<RedisReply> RedisExecuteAsync(RedisCommand command);

    /// <summary>
    /// Runs many commands in one call, written to Redis as one pipeline. Results come back in the
    /// order of <see cref="RedisBatch.Commands"/>; a command Redis rejects (e.g. <c>WRONGTYPE</c>) or
    /// that fails validation fails alone, as its own result.
    /// </summary>
    /// <remarks>
    /// Not a transaction: other clients' commands may run between the batch's commands. The whole batch
    /// takes one concurrency permit and counts once for the circuit breaker. When the connection fails
    /// while it runs, the call fails as a whole (<c>BACKEND_UNAVAILABLE</c> / <c>QUERY_TIMEOUT</c>) and
    /// some of its commands may have run.
    /// </remarks>
    Task<IReadOnlyList<RedisBatchResult>> RedisBatchAsync(RedisBatch batch);

    /// <summary>
    /// Subscribes <paramref name="observer"/> to a Redis channel, or renews its lease when it is
    /// subscribed already. Messages published to the channel arrive through <see cref="IRedisSubscriber.OnMessage"/>.
    /// </summary>
    /// <remarks>
    /// A subscription lives for the returned lease (default 60 s, <c>Conduit:DataPlane:RedisSubscriptionLease</c>):
    /// call again well before it runs out (e.g. every third of it) to keep it. The grain drops an
    /// observer whose lease ran out or whose <see cref="IRedisSubscriber.OnMessage"/> call failed, so a
    /// frontend that went away stops costing anything. The project's subscriptions are bounded by its
    /// tier (<c>SUBSCRIPTION_LIMIT</c>). Channel names are literal (no patterns), 1–256 characters.
    /// </remarks>
    Task<RedisSubscriptionLease> RedisSubscribeAsync(string channel, IRedisSubscriber observer, string? database = null);

    /// <summary>Ends <paramref name="observer"/>'s subscription to <paramref name="channel"/>; false when it had none.</summary>
    Task<bool> RedisUnsubscribeAsync(string channel, IRedisSubscriber observer, string? database = null);
}
