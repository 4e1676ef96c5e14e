namespace Conduit.Redis;

/// <summary>The Redis calls of a project's grain.</summary>
public interface IRedisOperations : IGrainWithStringKey
{
    /// <summary>Runs one Redis command on the project's Redis database.</summary>
    /// <param name="command">The command, its arguments and the database it runs on.</param>
    /// <param name="cancellationToken">
    /// Cancels the call: the caller stops waiting at once and a command still queued is never sent; one
    /// already written to Redis runs there to completion. Never counted by the circuit breaker.
    /// </param>
    Task<RedisReply> RedisExecuteAsync(RedisCommand command, CancellationToken cancellationToken = default);

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
    /// <param name="batch">The commands and the database they run on.</param>
    /// <param name="cancellationToken">As for <see cref="RedisExecuteAsync"/>.</param>
    Task<IReadOnlyList<RedisBatchResult>> RedisBatchAsync(RedisBatch batch, CancellationToken cancellationToken = default);

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
