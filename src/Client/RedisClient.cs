using System.Globalization;
using Conduit.Projects;
using Conduit.Redis;

namespace Conduit.Client;

/// <summary>Redis commands against a project's Redis database, through its grain.</summary>
public sealed class RedisClient
{
    private readonly IProjectConnectionGrain _grain;

    internal RedisClient(IProjectConnectionGrain grain) => _grain = grain;

    /// <summary>Any supported command, e.g. <c>ExecuteAsync("HSET", "h", "f", "v")</c>.</summary>
    public Task<RedisReply> ExecuteAsync(string command, params string[] args) => _grain.RedisExecuteAsync(new RedisCommand(command, args));

    /// <summary>GET: the value, or null when the key is missing.</summary>
    public async Task<string?> GetAsync(string key) => (await ExecuteAsync("GET", key).ConfigureAwait(false)).Text;

    /// <summary>SET with an optional time to live; with <paramref name="onlyIfAbsent"/> it is SET NX. Returns false when NX/XX prevented it.</summary>
    public async Task<bool> SetAsync(string key, string value, TimeSpan? ttl = null, bool onlyIfAbsent = false)
    {
        var args = new List<string> { key, value };
        if (ttl is { } t)
        {
            args.Add("PX");
            args.Add(((long)t.TotalMilliseconds).ToString(CultureInfo.InvariantCulture));
        }

        if (onlyIfAbsent)
        {
            args.Add("NX");
        }

        return (await ExecuteAsync("SET", [.. args]).ConfigureAwait(false)).Kind != RedisReplyKind.Null;
    }

    /// <summary>INCR: the new value.</summary>
    public async Task<long> IncrementAsync(string key) => (await ExecuteAsync("INCR", key).ConfigureAwait(false)).Number;

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
}
