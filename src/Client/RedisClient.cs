using System.Globalization;
using Conduit.Projects;
using Conduit.Redis;

namespace Conduit.Client;

/// <summary>Redis commands against a project's Redis database, through its grain.</summary>
/// <remarks>Errors arrive as <see cref="Errors.ConduitException"/>: <c>BACKEND_ERROR</c> with <c>BackendCode</c> <c>WRONGTYPE</c> for a key of the wrong type, <c>INVALID_REQUEST</c> for bad arguments.</remarks>
public sealed class RedisClient
{
    private readonly string _projectRef;
    private readonly IProjectConnectionGrain _grain;
    private readonly IGrainFactory _grains;
    private readonly RedisPipelining _pipelining;

    internal RedisClient(string projectRef, IProjectConnectionGrain grain, IGrainFactory grains, RedisPipelining pipelining)
    {
        _projectRef = projectRef;
        _grain = grain;
        _grains = grains;
        _pipelining = pipelining;
    }

    /// <summary>Any supported command, e.g. <c>ExecuteAsync("HSET", "h", "f", "v")</c>.</summary>
    /// <remarks>Concurrent commands to one project are pipelined (see <see cref="ConduitClientOptions.RedisMaxInFlightCalls"/>).</remarks>
    public Task<RedisReply> ExecuteAsync(string command, params string[] args) => _pipelining.ExecuteAsync(_projectRef, _grain, new RedisCommand(command, args));

    /// <summary>Any supported command as described (e.g. on a named database), cancellable.</summary>
    /// <param name="command">The command and its arguments.</param>
    /// <param name="cancellationToken">
    /// Stops waiting at once; a command not yet sent is never sent, one already written to Redis runs
    /// there to completion.
    /// </param>
    public Task<RedisReply> ExecuteAsync(RedisCommand command, CancellationToken cancellationToken = default) =>
        _pipelining.ExecuteAsync(_projectRef, _grain, command, cancellationToken);

    /// <summary>
    /// Runs <paramref name="commands"/> in one call, written to Redis as one pipeline; results come in the
    /// same order, and a command Redis rejects fails alone (see <see cref="RedisBatchResult.GetReplyOrThrow"/>).
    /// E.g. <c>BatchAsync(new("SET", ["k", "v"]), new("INCR", ["n"]))</c>.
    /// </summary>
    /// <remarks>Not a transaction. At most 1000 commands by default (<c>PAYLOAD_TOO_LARGE</c> beyond).</remarks>
    public Task<IReadOnlyList<RedisBatchResult>> BatchAsync(params RedisCommand[] commands) => _grain.RedisBatchAsync(new RedisBatch(commands));

    /// <summary>Runs a batch as described, e.g. on a named database.</summary>
    public Task<IReadOnlyList<RedisBatchResult>> BatchAsync(RedisBatch batch, CancellationToken cancellationToken = default) => _grain.RedisBatchAsync(batch, cancellationToken);

    /// <summary>GET: the value, or null when the key is missing.</summary>
    public async Task<string?> GetAsync(string key) => (await ExecuteAsync("GET", key).ConfigureAwait(false)).Text;

    /// <summary>MGET: the values in the order of <paramref name="keys"/>, null for missing keys.</summary>
    public async Task<IReadOnlyList<string?>> GetManyAsync(params string[] keys) =>
        [.. (await ExecuteAsync("MGET", keys).ConfigureAwait(false)).Items?.Select(i => i.Text) ?? []];

    /// <summary>SET with an optional time to live; with <paramref name="onlyIfAbsent"/> it is SET NX. Returns false when NX/XX prevented it.</summary>
    public Task<bool> SetAsync(string key, string value, TimeSpan? ttl = null, bool onlyIfAbsent = false) =>
        SetAsync(key, value, ttl, onlyIfAbsent ? RedisSetCondition.IfNotExists : RedisSetCondition.Always);

    /// <summary>SET with an optional time to live (whole milliseconds) and a condition (NX / XX). Returns false when the condition prevented it.</summary>
    public async Task<bool> SetAsync(string key, string value, TimeSpan? ttl, RedisSetCondition condition)
    {
        var args = new List<string>(5) { key, value };
        if (ttl is { } t)
        {
            args.Add("PX");
            args.Add(((long)t.TotalMilliseconds).ToString(CultureInfo.InvariantCulture));
        }

        switch (condition)
        {
            case RedisSetCondition.IfNotExists:
                args.Add("NX");
                break;
            case RedisSetCondition.IfExists:
                args.Add("XX");
                break;
        }

        return (await ExecuteAsync("SET", [.. args]).ConfigureAwait(false)).Kind != RedisReplyKind.Null;
    }

    /// <summary>INCR: the new value.</summary>
    public async Task<long> IncrementAsync(string key) => (await ExecuteAsync("INCR", key).ConfigureAwait(false)).Number;

    /// <summary>INCRBY: the new value.</summary>
    public async Task<long> IncrementByAsync(string key, long increment) =>
        (await ExecuteAsync("INCRBY", key, increment.ToString(CultureInfo.InvariantCulture)).ConfigureAwait(false)).Number;

    /// <summary>DECR: the new value.</summary>
    public async Task<long> DecrementAsync(string key) => (await ExecuteAsync("DECR", key).ConfigureAwait(false)).Number;

    /// <summary>DEL: how many keys were removed.</summary>
    public async Task<long> DeleteAsync(params string[] keys) => (await ExecuteAsync("DEL", keys).ConfigureAwait(false)).Number;

    /// <summary>EXISTS: how many of the keys exist.</summary>
    public async Task<long> ExistsAsync(params string[] keys) => (await ExecuteAsync("EXISTS", keys).ConfigureAwait(false)).Number;

    /// <summary>EXPIRE in whole seconds: true when the key exists.</summary>
    public async Task<bool> ExpireAsync(string key, TimeSpan ttl) =>
        (await ExecuteAsync("EXPIRE", key, ((long)ttl.TotalSeconds).ToString(CultureInfo.InvariantCulture)).ConfigureAwait(false)).Number == 1;

    /// <summary>TTL: the time left, or null when the key is missing or has no expiry.</summary>
    public async Task<TimeSpan?> TimeToLiveAsync(string key)
    {
        var seconds = (await ExecuteAsync("TTL", key).ConfigureAwait(false)).Number;
        return seconds < 0 ? null : TimeSpan.FromSeconds(seconds);
    }

    /// <summary>HSET of one field: true when the field is new, false when it was updated.</summary>
    public async Task<bool> HashSetAsync(string key, string field, string value) =>
        (await ExecuteAsync("HSET", key, field, value).ConfigureAwait(false)).Number == 1;

    /// <summary>HSET of several fields: how many were new.</summary>
    public async Task<long> HashSetAsync(string key, IEnumerable<KeyValuePair<string, string>> fields)
    {
        ArgumentNullException.ThrowIfNull(fields);
        var args = new List<string> { key };
        foreach (var (field, value) in fields)
        {
            args.Add(field);
            args.Add(value);
        }

        return (await ExecuteAsync("HSET", [.. args]).ConfigureAwait(false)).Number;
    }

    /// <summary>HGET: the field's value, or null when the key or field is missing.</summary>
    public async Task<string?> HashGetAsync(string key, string field) => (await ExecuteAsync("HGET", key, field).ConfigureAwait(false)).Text;

    /// <summary>HGETALL: every field and value (empty when the key is missing).</summary>
    public async Task<IReadOnlyDictionary<string, string>> HashGetAllAsync(string key)
    {
        var reply = await ExecuteAsync("HGETALL", key).ConfigureAwait(false);
        var result = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var (field, value) in Pairs(reply))
        {
            result[field.Text!] = value.Text!;
        }

        return result;
    }

    /// <summary>HDEL: how many fields were removed.</summary>
    public async Task<long> HashDeleteAsync(string key, params string[] fields) =>
        (await ExecuteAsync("HDEL", [key, .. fields]).ConfigureAwait(false)).Number;

    /// <summary>LPUSH: the list's length afterwards.</summary>
    public async Task<long> ListLeftPushAsync(string key, params string[] values) =>
        (await ExecuteAsync("LPUSH", [key, .. values]).ConfigureAwait(false)).Number;

    /// <summary>RPUSH: the list's length afterwards.</summary>
    public async Task<long> ListRightPushAsync(string key, params string[] values) =>
        (await ExecuteAsync("RPUSH", [key, .. values]).ConfigureAwait(false)).Number;

    /// <summary>LPOP: the first element, or null when the list is empty or missing.</summary>
    public async Task<string?> ListLeftPopAsync(string key) => (await ExecuteAsync("LPOP", key).ConfigureAwait(false)).Text;

    /// <summary>LPOP with a count: up to <paramref name="count"/> elements from the head.</summary>
    public async Task<IReadOnlyList<string>> ListLeftPopAsync(string key, int count) =>
        Strings(await ExecuteAsync("LPOP", key, count.ToString(CultureInfo.InvariantCulture)).ConfigureAwait(false));

    /// <summary>RPOP: the last element, or null when the list is empty or missing.</summary>
    public async Task<string?> ListRightPopAsync(string key) => (await ExecuteAsync("RPOP", key).ConfigureAwait(false)).Text;

    /// <summary>RPOP with a count: up to <paramref name="count"/> elements from the tail.</summary>
    public async Task<IReadOnlyList<string>> ListRightPopAsync(string key, int count) =>
        Strings(await ExecuteAsync("RPOP", key, count.ToString(CultureInfo.InvariantCulture)).ConfigureAwait(false));

    /// <summary>LRANGE: the elements from <paramref name="start"/> to <paramref name="stop"/> inclusive (negative counts from the end; the defaults give the whole list).</summary>
    public async Task<IReadOnlyList<string>> ListRangeAsync(string key, long start = 0, long stop = -1) =>
        Strings(await ExecuteAsync("LRANGE", key, start.ToString(CultureInfo.InvariantCulture), stop.ToString(CultureInfo.InvariantCulture)).ConfigureAwait(false));

    /// <summary>LLEN: the list's length (0 when missing).</summary>
    public async Task<long> ListLengthAsync(string key) => (await ExecuteAsync("LLEN", key).ConfigureAwait(false)).Number;

    /// <summary>SADD: how many members were new.</summary>
    public async Task<long> SetAddAsync(string key, params string[] members) =>
        (await ExecuteAsync("SADD", [key, .. members]).ConfigureAwait(false)).Number;

    /// <summary>SREM: how many members were removed.</summary>
    public async Task<long> SetRemoveAsync(string key, params string[] members) =>
        (await ExecuteAsync("SREM", [key, .. members]).ConfigureAwait(false)).Number;

    /// <summary>SMEMBERS: every member (empty when the key is missing).</summary>
    public async Task<IReadOnlySet<string>> SetMembersAsync(string key) =>
        new HashSet<string>(Strings(await ExecuteAsync("SMEMBERS", key).ConfigureAwait(false)), StringComparer.Ordinal);

    /// <summary>SISMEMBER: true when <paramref name="member"/> is in the set.</summary>
    public async Task<bool> SetContainsAsync(string key, string member) =>
        (await ExecuteAsync("SISMEMBER", key, member).ConfigureAwait(false)).Number == 1;

    /// <summary>ZADD of one member: true when it is new, false when its score was updated.</summary>
    public async Task<bool> SortedSetAddAsync(string key, string member, double score) =>
        (await ExecuteAsync("ZADD", key, FormatScore(score), member).ConfigureAwait(false)).Number == 1;

    /// <summary>ZADD of several members: how many were new.</summary>
    public async Task<long> SortedSetAddAsync(string key, IEnumerable<SortedSetEntry> entries)
    {
        ArgumentNullException.ThrowIfNull(entries);
        var args = new List<string> { key };
        foreach (var entry in entries)
        {
            args.Add(FormatScore(entry.Score));
            args.Add(entry.Member);
        }

        return (await ExecuteAsync("ZADD", [.. args]).ConfigureAwait(false)).Number;
    }

    /// <summary>ZRANGE by rank, lowest score first (the defaults give the whole set).</summary>
    public async Task<IReadOnlyList<string>> SortedSetRangeAsync(string key, long start = 0, long stop = -1) =>
        Strings(await ExecuteAsync("ZRANGE", key, start.ToString(CultureInfo.InvariantCulture), stop.ToString(CultureInfo.InvariantCulture)).ConfigureAwait(false));

    /// <summary>ZRANGE … WITHSCORES by rank, lowest score first.</summary>
    public async Task<IReadOnlyList<SortedSetEntry>> SortedSetRangeWithScoresAsync(string key, long start = 0, long stop = -1)
    {
        var reply = await ExecuteAsync("ZRANGE", key, start.ToString(CultureInfo.InvariantCulture), stop.ToString(CultureInfo.InvariantCulture), "WITHSCORES").ConfigureAwait(false);
        return [.. Pairs(reply).Select(p => new SortedSetEntry(p.Key.Text!, ParseScore(p.Value.Text!)))];
    }

    /// <summary>ZREM: how many members were removed.</summary>
    public async Task<long> SortedSetRemoveAsync(string key, params string[] members) =>
        (await ExecuteAsync("ZREM", [key, .. members]).ConfigureAwait(false)).Number;

    /// <summary>ZSCORE: the member's score, or null when the key or member is missing.</summary>
    public async Task<double?> SortedSetScoreAsync(string key, string member) =>
        (await ExecuteAsync("ZSCORE", key, member).ConfigureAwait(false)).Text is { } text ? ParseScore(text) : null;

    /// <summary>PUBLISH: how many Redis subscribers received the message (a project's grain counts once however many observers it serves).</summary>
    public async Task<long> PublishAsync(string channel, string message) =>
        (await ExecuteAsync("PUBLISH", channel, message).ConfigureAwait(false)).Number;

    /// <summary>
    /// Subscribes <paramref name="handler"/> to <paramref name="channel"/> until the returned subscription
    /// is disposed: <c>await using var sub = await project.Redis.SubscribeAsync("news", (channel, message) => …);</c>
    /// </summary>
    /// <remarks>
    /// Messages of the channel reach the handler in order, one at a time. The subscription renews its
    /// lease in the background (every third of it; 60 s by default), so when this process goes away the
    /// silo drops it within one lease. Disposing it unsubscribes at once. Exceptions the handler throws
    /// are counted in <see cref="RedisSubscription.HandlerFailures"/>, not sent to the silo.
    /// </remarks>
    public async Task<RedisSubscription> SubscribeAsync(string channel, Func<string, string, Task> handler, string? database = null)
    {
        ArgumentNullException.ThrowIfNull(handler);
        var subscription = new RedisSubscription(_grain, _grains, channel, database, handler);
        try
        {
            await subscription.StartAsync().ConfigureAwait(false);
        }
        catch
        {
            await subscription.DisposeAsync().ConfigureAwait(false);
            throw;
        }

        return subscription;
    }

    /// <summary>Subscribes a synchronous <paramref name="handler"/>; see <see cref="SubscribeAsync(string, Func{string, string, Task}, string)"/>.</summary>
    public Task<RedisSubscription> SubscribeAsync(string channel, Action<string, string> handler, string? database = null)
    {
        ArgumentNullException.ThrowIfNull(handler);
        return SubscribeAsync(channel, (c, m) =>
        {
            handler(c, m);
            return Task.CompletedTask;
        }, database);
    }

    private static List<string> Strings(RedisReply reply) => reply.Items?.Select(i => i.Text!).ToList() ?? [];

    // RESP2 answers HGETALL and ZRANGE … WITHSCORES with a flat [a, b, a, b…] array, RESP3 with [[a, b]…].
    private static IEnumerable<KeyValuePair<RedisReply, RedisReply>> Pairs(RedisReply reply)
    {
        var items = reply.Items ?? [];
        if (items.Count > 0 && items[0].Kind == RedisReplyKind.Array)
        {
            return items.Select(i => KeyValuePair.Create(i.Items![0], i.Items[1]));
        }

        return Enumerable.Range(0, items.Count / 2).Select(i => KeyValuePair.Create(items[2 * i], items[(2 * i) + 1]));
    }

    private static string FormatScore(double score)
    {
        if (double.IsNaN(score))
        {
            throw new ArgumentOutOfRangeException(nameof(score), "A sorted set score cannot be NaN.");
        }

        return double.IsPositiveInfinity(score) ? "+inf" : double.IsNegativeInfinity(score) ? "-inf" : score.ToString("R", CultureInfo.InvariantCulture);
    }

    private static double ParseScore(string text) => text.ToLowerInvariant() switch
    {
        "inf" or "+inf" => double.PositiveInfinity,
        "-inf" => double.NegativeInfinity,
        _ => double.Parse(text, NumberStyles.Float, CultureInfo.InvariantCulture),
    };
}
