using System.Collections.Frozen;
using System.Globalization;
using Conduit.Errors;

namespace Conduit.Connectors.Redis;

/// <summary>
/// The product's Redis command set. Anything outside it is <c>UNSUPPORTED_COMMAND</c>; wrong
/// argument counts and malformed options are <c>INVALID_REQUEST</c> before anything reaches Redis.
/// </summary>
public static class RedisCommandTable
{
    private static readonly FrozenDictionary<string, RedisCommandSpec> Commands = new RedisCommandSpec[]
    {
        new("GET", 1, 1, 1, "GET key"),
        new("SET", 2, 6, 1, "SET key value [EX seconds|PX milliseconds|KEEPTTL] [NX|XX] [GET]"),
        new("INCR", 1, 1, 1, "INCR key"),
        new("DECR", 1, 1, 1, "DECR key"),
        new("INCRBY", 2, 2, 1, "INCRBY key increment"),
        new("MGET", 1, -1, 1, "MGET key [key ...]"),
        new("DEL", 1, -1, 1, "DEL key [key ...]"),
        new("EXISTS", 1, -1, 1, "EXISTS key [key ...]"),
        new("EXPIRE", 2, 2, 1, "EXPIRE key seconds"),
        new("TTL", 1, 1, 1, "TTL key"),
        new("HSET", 3, -1, 2, "HSET key field value [field value ...]"),
        new("HGET", 2, 2, 1, "HGET key field"),
        new("HGETALL", 1, 1, 1, "HGETALL key"),
        new("HDEL", 2, -1, 1, "HDEL key field [field ...]"),
        new("LPUSH", 2, -1, 1, "LPUSH key element [element ...]"),
        new("RPUSH", 2, -1, 1, "RPUSH key element [element ...]"),
        new("LPOP", 1, 2, 1, "LPOP key [count]"),
        new("RPOP", 1, 2, 1, "RPOP key [count]"),
        new("LRANGE", 3, 3, 1, "LRANGE key start stop"),
        new("LLEN", 1, 1, 1, "LLEN key"),
        new("SADD", 2, -1, 1, "SADD key member [member ...]"),
        new("SREM", 2, -1, 1, "SREM key member [member ...]"),
        new("SMEMBERS", 1, 1, 1, "SMEMBERS key"),
        new("SISMEMBER", 2, 2, 1, "SISMEMBER key member"),
        new("ZADD", 3, -1, 2, "ZADD key score member [score member ...]"),
        new("ZRANGE", 3, 4, 1, "ZRANGE key start stop [WITHSCORES]"),
        new("ZREM", 2, -1, 1, "ZREM key member [member ...]"),
        new("ZSCORE", 2, 2, 1, "ZSCORE key member"),
        new("PUBLISH", 2, 2, 1, "PUBLISH channel message"),
    }.ToFrozenDictionary(c => c.Name, StringComparer.OrdinalIgnoreCase);

    /// <summary>The supported command names.</summary>
    public static IEnumerable<string> Names => Commands.Keys;

    /// <summary>Validates a command and its arguments; returns the canonical spec.</summary>
    public static RedisCommandSpec Validate(string? command, IReadOnlyList<string> args)
    {
        ArgumentNullException.ThrowIfNull(args);
        if (string.IsNullOrWhiteSpace(command))
        {
            throw new ConduitException(ErrorCodes.InvalidRequest, "command: a Redis command name is required.");
        }

        if (!Commands.TryGetValue(command.Trim(), out var spec))
        {
            throw new ConduitException(ErrorCodes.UnsupportedCommand, $"command: '{Truncate(command)}' is not supported. Supported: {string.Join(", ", Commands.Keys.Order(StringComparer.Ordinal))}.");
        }

        var count = args.Count;
        if (count < spec.MinArgs || (spec.MaxArgs >= 0 && count > spec.MaxArgs) || (count - spec.MinArgs) % spec.Step != 0)
        {
            throw new ConduitException(ErrorCodes.InvalidRequest, $"args: wrong number of arguments ({count}) for {spec.Name}. Usage: {spec.Usage}.");
        }

        for (var i = 0; i < args.Count; i++)
        {
            if (args[i] is null)
            {
                throw new ConduitException(ErrorCodes.InvalidRequest, $"args[{i}]: must be a string, not null.");
            }
        }

        switch (spec.Name)
        {
            case "SET":
                ValidateSetOptions(args);
                break;
            case "EXPIRE" or "INCRBY":
                RequireInteger(args, 1);
                break;
            case "LRANGE" or "ZRANGE":
                RequireInteger(args, 1);
                RequireInteger(args, 2);
                if (spec.Name == "ZRANGE" && args.Count == 4 && !args[3].Equals("WITHSCORES", StringComparison.OrdinalIgnoreCase))
                {
                    throw new ConduitException(ErrorCodes.InvalidRequest, "args[3]: ZRANGE accepts only WITHSCORES here.");
                }

                break;
            case "LPOP" or "RPOP" when args.Count == 2:
                RequireInteger(args, 1);
                break;
            case "ZADD":
                for (var i = 1; i < args.Count; i += 2)
                {
                    if (!IsScore(args[i]))
                    {
                        throw new ConduitException(ErrorCodes.InvalidRequest, $"args[{i}]: a ZADD score must be a number.");
                    }
                }

                break;
        }

        return spec;
    }

    private static void ValidateSetOptions(IReadOnlyList<string> args)
    {
        bool expiry = false, condition = false, get = false;
        for (var i = 2; i < args.Count; i++)
        {
            switch (args[i].ToUpperInvariant())
            {
                case "EX" or "PX" when !expiry && i + 1 < args.Count:
                    expiry = true;
                    if (!long.TryParse(args[i + 1], NumberStyles.None, CultureInfo.InvariantCulture, out var ttl) || ttl <= 0)
                    {
                        throw new ConduitException(ErrorCodes.InvalidRequest, $"args[{i + 1}]: {args[i].ToUpperInvariant()} needs a positive integer.");
                    }

                    i++;
                    break;
                case "KEEPTTL" when !expiry:
                    expiry = true;
                    break;
                case "NX" or "XX" when !condition:
                    condition = true;
                    break;
                case "GET" when !get:
                    get = true;
                    break;
                default:
                    throw new ConduitException(ErrorCodes.InvalidRequest, $"args[{i}]: '{Truncate(args[i])}' is not a valid SET option here. Usage: SET key value [EX seconds|PX milliseconds|KEEPTTL] [NX|XX] [GET].");
            }
        }
    }

    private static void RequireInteger(IReadOnlyList<string> args, int index)
    {
        if (!long.TryParse(args[index], NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out _))
        {
            throw new ConduitException(ErrorCodes.InvalidRequest, $"args[{index}]: must be an integer.");
        }
    }

    // Redis spells the infinities inf, +inf and -inf; NaN is never a score.
    private static bool IsScore(string text) =>
        text.ToLowerInvariant() is "inf" or "+inf" or "-inf"
        || (double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var score) && !double.IsNaN(score));

    private static string Truncate(string value) => value.Length <= 32 ? value : value[..32] + "…";
}
