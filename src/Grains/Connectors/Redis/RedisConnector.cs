using System.Collections.Concurrent;
using System.Runtime.ExceptionServices;
using Conduit.Errors;
using Conduit.Options;
using Conduit.Projects;
using Conduit.Redis;
using StackExchange.Redis;

namespace Conduit.Connectors.Redis;

/// <summary>One <see cref="ConnectionMultiplexer"/> for one registered Redis: a single multiplexed connection serves the project's commands.</summary>
/// <remarks>Owned by a pool generation of the project's grain; disposed when that generation retires.</remarks>
public sealed class RedisConnector : IDatabaseConnector
{
    private readonly ConnectionMultiplexer _multiplexer;
    private readonly IDatabase _database;
    private readonly ConcurrentDictionary<RedisChannelFeed, byte> _feeds = new();
    private int _active;

    private RedisConnector(ConnectionMultiplexer multiplexer)
    {
        _multiplexer = multiplexer;
        _database = multiplexer.GetDatabase();
    }

    /// <summary>Connects to the Redis in <paramref name="configuration"/>; failures are translated.</summary>
    public static async Task<RedisConnector> ConnectAsync(string configuration, string clientName, TierLimits limits, DataPlaneOptions dataPlane)
    {
        ArgumentNullException.ThrowIfNull(limits);
        ArgumentNullException.ThrowIfNull(dataPlane);
        var options = ConfigurationOptions.Parse(configuration);
        options.ClientName = clientName;
        // Keep the multiplexer after a failed first connect: it reconnects by itself and the breaker
        // decides when to try again, instead of every call paying for a new handshake.
        options.AbortOnConnectFail = false;
        options.ConnectTimeout = (int)dataPlane.ConnectTimeout.TotalMilliseconds;
        options.AsyncTimeout = (int)limits.QueryTimeout.TotalMilliseconds;
        options.SyncTimeout = (int)limits.QueryTimeout.TotalMilliseconds;
        options.ConnectRetry = 1;

        // One reply shape whatever the server and connection string say: RESP3 would turn
        // ZRANGE … WITHSCORES into nested pairs with typed doubles, changing what clients see.
        options.Protocol = RedisProtocol.Resp2;
        try
        {
            var multiplexer = await ConnectionMultiplexer.ConnectAsync(options).ConfigureAwait(false);
            return new RedisConnector(multiplexer);
        }
        catch (Exception e) when (RedisErrors.Translate(e) is { } translated)
        {
            throw translated;
        }
    }

    /// <summary>Runs one validated command and converts the reply.</summary>
    public async ValueTask<RedisReply> ExecuteAsync(string command, IReadOnlyList<string> args)
    {
        ArgumentNullException.ThrowIfNull(args);
        if (!_multiplexer.IsConnected)
        {
            // Fail fast instead of queueing behind a reconnect: the breaker needs to see the outage.
            throw new ConduitException(ErrorCodes.BackendUnavailable, "Redis could not be reached: no connection is available.", "UnableToConnect", isTransient: true);
        }

        Interlocked.Increment(ref _active);
        try
        {
            var result = await _database.ExecuteAsync(command, ToArguments(args)).ConfigureAwait(false);
            return Convert(result);
        }
        catch (Exception e) when (RedisErrors.Translate(e) is { } translated && !ReferenceEquals(translated, e))
        {
            throw translated;
        }
        finally
        {
            Interlocked.Decrement(ref _active);
        }
    }

    /// <summary>
    /// Writes <paramref name="commands"/> to Redis as one pipeline and returns their results in order.
    /// A command Redis rejects fails alone; a connection failure or timeout fails the whole call once.
    /// </summary>
    public async ValueTask<RedisBatchResult[]> ExecuteBatchAsync(IReadOnlyList<RedisPipelinedCommand> commands, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(commands);
        if (!_multiplexer.IsConnected)
        {
            throw new ConduitException(ErrorCodes.BackendUnavailable, "Redis could not be reached: no connection is available.", "UnableToConnect", isTransient: true);
        }

        Interlocked.Increment(ref _active);
        try
        {
            var tasks = new Task<RedisResult>[commands.Count];
            var batch = _database.CreateBatch();
            for (var i = 0; i < commands.Count; i++)
            {
                tasks[i] = batch.ExecuteAsync(commands[i].Name, ToArguments(commands[i].Args));
            }

            // Execute() writes every queued command in one go, with nothing of other callers between them.
            batch.Execute();
            try
            {
                await Task.WhenAll(tasks).WaitAsync(cancellationToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                // The timeout owns this outcome; the abandoned replies must not surface as unobserved exceptions.
                foreach (var task in tasks)
                {
                    _ = task.ContinueWith(static t => _ = t.Exception, CancellationToken.None, TaskContinuationOptions.OnlyOnFaulted | TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
                }

                throw;
            }
            catch (Exception)
            {
                // Inspected per command below.
            }

            return CollectResults(tasks);
        }
        finally
        {
            Interlocked.Decrement(ref _active);
        }
    }

    /// <summary>Subscribes to <paramref name="channel"/> (taken literally) on the multiplexer's subscriber connection.</summary>
    public async ValueTask<RedisChannelFeed> SubscribeAsync(string channel)
    {
        ArgumentNullException.ThrowIfNull(channel);
        if (!_multiplexer.IsConnected)
        {
            throw new ConduitException(ErrorCodes.BackendUnavailable, "Redis could not be reached: no connection is available.", "UnableToConnect", isTransient: true);
        }

        try
        {
            var queue = await _multiplexer.GetSubscriber().SubscribeAsync(RedisChannel.Literal(channel)).ConfigureAwait(false);
            var feed = new RedisChannelFeed(this, channel, queue);
            _feeds.TryAdd(feed, 0);
            return feed;
        }
        catch (Exception e) when (RedisErrors.Translate(e) is { } translated && !ReferenceEquals(translated, e))
        {
            throw translated;
        }
    }

    /// <summary>Forgets a disposed feed.</summary>
    internal void Forget(RedisChannelFeed feed) => _feeds.TryRemove(feed, out _);

    /// <inheritdoc />
    public async Task PingAsync(CancellationToken cancellationToken)
    {
        try
        {
            if (!_multiplexer.IsConnected)
            {
                throw new ConduitException(ErrorCodes.BackendUnavailable, "Redis could not be reached: no connection is available.", "UnableToConnect", isTransient: true);
            }

            await _database.PingAsync().WaitAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (RedisErrors.Translate(e) is { } translated && !ReferenceEquals(translated, e))
        {
            throw translated;
        }
    }

    /// <inheritdoc />
    public PoolStats GetPoolStats(int waiting)
    {
        var active = Volatile.Read(ref _active);
        var connected = _multiplexer.IsConnected ? 1 : 0;
        return new PoolStats(Math.Min(active, connected), active > 0 ? 0 : connected, waiting, 1, 1);
    }

    /// <inheritdoc />
    public void ClearPool()
    {
        // A multiplexer heals its own connection; nothing stale can be handed out.
    }

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        // Feeds end with their connection: their readers learn it now instead of waiting forever.
        foreach (var feed in _feeds.Keys)
        {
            feed.Close();
        }

        _feeds.Clear();
        await _multiplexer.CloseAsync(allowCommandsToComplete: true).ConfigureAwait(false);
    }

    private static object[] ToArguments(IReadOnlyList<string> args)
    {
        var arguments = new object[args.Count];
        for (var i = 0; i < args.Count; i++)
        {
            arguments[i] = args[i];
        }

        return arguments;
    }

    private static RedisBatchResult[] CollectResults(Task<RedisResult>[] tasks)
    {
        var results = new RedisBatchResult[tasks.Length];
        ConduitException? infrastructure = null;
        var infrastructureFailures = 0;
        for (var i = 0; i < tasks.Length; i++)
        {
            var task = tasks[i];
            if (task.IsCompletedSuccessfully)
            {
                results[i] = RedisBatchResult.Success(Convert(task.Result));
                continue;
            }

            var error = task.Exception?.InnerException;
            var translated = error is null
                ? new ConduitException(ErrorCodes.BackendUnavailable, "Redis abandoned the command: its connection is closing.", isTransient: true)
                : RedisErrors.Translate(error);
            if (translated is null)
            {
                // Not a Redis failure: let the slot log it and answer INTERNAL_ERROR.
                ExceptionDispatchInfo.Throw(error!);
            }

            if (translated.IsTransient)
            {
                infrastructure ??= translated;
                infrastructureFailures++;
            }
            else
            {
                results[i] = RedisBatchResult.Failure(translated.Code, translated.Message, translated.BackendCode);
            }
        }

        if (infrastructure is not null)
        {
            // One outcome for the breaker however many commands the broken connection took with it.
            throw new ConduitException(
                infrastructure.Code,
                $"{infrastructure.Message} {infrastructureFailures} of the batch's {tasks.Length} commands failed this way; the others may have run (a batch is not a transaction).",
                infrastructure.BackendCode,
                infrastructure.RetryAfter,
                isTransient: true);
        }

        return results;
    }

    private static RedisReply Convert(RedisResult result)
    {
        if (result.IsNull)
        {
            return RedisReply.Nil;
        }

        switch (result.Resp2Type)
        {
            case ResultType.Integer:
                return RedisReply.FromNumber((long)result);
            case ResultType.Array:
                var items = (RedisResult[])result!;
                var converted = new RedisReply[items.Length];
                for (var i = 0; i < items.Length; i++)
                {
                    converted[i] = Convert(items[i]);
                }

                return RedisReply.FromItems(converted);
            default:
                return RedisReply.FromText(result.ToString()!);
        }
    }
}
