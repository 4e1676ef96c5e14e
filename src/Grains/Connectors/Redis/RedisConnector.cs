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
            var arguments = new object[args.Count];
            for (var i = 0; i < args.Count; i++)
            {
                arguments[i] = args[i];
            }

            var result = await _database.ExecuteAsync(command, arguments).ConfigureAwait(false);
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
    public async ValueTask DisposeAsync() => await _multiplexer.CloseAsync(allowCommandsToComplete: true).ConfigureAwait(false);

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
