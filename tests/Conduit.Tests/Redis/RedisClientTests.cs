using System.Collections.Concurrent;
using Conduit.Client;
using Conduit.Errors;
using Conduit.Redis;
using Conduit.Tests.Infrastructure;

namespace Conduit.Tests.Redis;

/// <summary>The typed client library over the gateway, one test per data type.</summary>
public sealed class RedisClientTests(ShortLeaseSiloFixture fixture) : IClassFixture<ShortLeaseSiloFixture>
{
    private async Task<(RedisClient Redis, string Prefix)> NewProjectAsync()
    {
        var projectRef = await RedisProjects.CreateAsync(fixture.Silo);
        return (fixture.Conduit.Project(projectRef).Redis, projectRef);
    }

    [Fact]
    public async Task Strings_TypedMethods_RoundTrip()
    {
        var (redis, p) = await NewProjectAsync();

        Assert.False(await redis.SetAsync($"{p}:s", "a", null, RedisSetCondition.IfExists));
        Assert.True(await redis.SetAsync($"{p}:s", "a", TimeSpan.FromMinutes(1), RedisSetCondition.IfNotExists));
        Assert.False(await redis.SetAsync($"{p}:s", "b", onlyIfAbsent: true));
        Assert.True(await redis.SetAsync($"{p}:s", "c", null, RedisSetCondition.IfExists));
        Assert.Equal("c", await redis.GetAsync($"{p}:s"));
        Assert.Null(await redis.TimeToLiveAsync($"{p}:s"));
        Assert.True(await redis.ExpireAsync($"{p}:s", TimeSpan.FromSeconds(30)));
        Assert.InRange((await redis.TimeToLiveAsync($"{p}:s"))!.Value, TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(30));
        Assert.Equal(10, await redis.IncrementByAsync($"{p}:n", 10));
        Assert.Equal(11, await redis.IncrementAsync($"{p}:n"));
        Assert.Equal(10, await redis.DecrementAsync($"{p}:n"));
        Assert.Equal(["c", "10", null], await redis.GetManyAsync($"{p}:s", $"{p}:n", $"{p}:missing"));
        Assert.Equal(2, await redis.ExistsAsync($"{p}:s", $"{p}:n", $"{p}:missing"));
        Assert.Equal(2, await redis.DeleteAsync($"{p}:s", $"{p}:n"));
        Assert.Null(await redis.GetAsync($"{p}:s"));
        Assert.False(await redis.ExpireAsync($"{p}:s", TimeSpan.FromSeconds(30)));
    }

    [Fact]
    public async Task Hashes_TypedMethods_RoundTrip()
    {
        var (redis, p) = await NewProjectAsync();
        var key = $"{p}:h";

        Assert.True(await redis.HashSetAsync(key, "name", "ada"));
        Assert.False(await redis.HashSetAsync(key, "name", "Ada"));
        Assert.Equal(2, await redis.HashSetAsync(key, [KeyValuePair.Create("born", "1815"), KeyValuePair.Create("field", "maths")]));
        Assert.Equal("Ada", await redis.HashGetAsync(key, "name"));
        Assert.Null(await redis.HashGetAsync(key, "missing"));
        var all = await redis.HashGetAllAsync(key);
        Assert.Equal(new Dictionary<string, string> { ["name"] = "Ada", ["born"] = "1815", ["field"] = "maths" }, all);
        Assert.Equal(2, await redis.HashDeleteAsync(key, "born", "field", "missing"));
        Assert.Single(await redis.HashGetAllAsync(key));
        Assert.Empty(await redis.HashGetAllAsync($"{p}:missing"));
    }

    [Fact]
    public async Task Lists_TypedMethods_RoundTrip()
    {
        var (redis, p) = await NewProjectAsync();
        var key = $"{p}:l";

        Assert.Equal(3, await redis.ListRightPushAsync(key, "c", "d", "e"));
        Assert.Equal(5, await redis.ListLeftPushAsync(key, "b", "a"));
        Assert.Equal(["a", "b", "c", "d", "e"], await redis.ListRangeAsync(key));
        Assert.Equal(["b", "c"], await redis.ListRangeAsync(key, 1, 2));
        Assert.Equal(5, await redis.ListLengthAsync(key));
        Assert.Equal("a", await redis.ListLeftPopAsync(key));
        Assert.Equal("e", await redis.ListRightPopAsync(key));
        Assert.Equal(["b", "c"], await redis.ListLeftPopAsync(key, 2));
        Assert.Equal(["d"], await redis.ListRightPopAsync(key, 5));
        Assert.Null(await redis.ListLeftPopAsync(key));
        Assert.Empty(await redis.ListRightPopAsync(key, 2));
        Assert.Equal(0, await redis.ListLengthAsync(key));
    }

    [Fact]
    public async Task Sets_TypedMethods_RoundTrip()
    {
        var (redis, p) = await NewProjectAsync();
        var key = $"{p}:set";

        Assert.Equal(3, await redis.SetAddAsync(key, "x", "y", "z"));
        Assert.Equal(0, await redis.SetAddAsync(key, "x"));
        Assert.Equal(1, await redis.SetRemoveAsync(key, "z", "missing"));
        Assert.True((await redis.SetMembersAsync(key)).SetEquals(["x", "y"]));
        Assert.True(await redis.SetContainsAsync(key, "x"));
        Assert.False(await redis.SetContainsAsync(key, "z"));
        Assert.Empty(await redis.SetMembersAsync($"{p}:missing"));
    }

    [Fact]
    public async Task SortedSets_TypedMethods_RoundTrip()
    {
        var (redis, p) = await NewProjectAsync();
        var key = $"{p}:z";

        Assert.True(await redis.SortedSetAddAsync(key, "b", 2));
        Assert.False(await redis.SortedSetAddAsync(key, "b", 2.25));
        Assert.Equal(3, await redis.SortedSetAddAsync(key, [new SortedSetEntry("a", -1.5), new SortedSetEntry("top", double.PositiveInfinity), new SortedSetEntry("bottom", double.NegativeInfinity)]));
        Assert.Equal(["bottom", "a", "b", "top"], await redis.SortedSetRangeAsync(key));
        Assert.Equal(["a", "b"], await redis.SortedSetRangeAsync(key, 1, 2));
        Assert.Equal(
            [new SortedSetEntry("bottom", double.NegativeInfinity), new SortedSetEntry("a", -1.5), new SortedSetEntry("b", 2.25), new SortedSetEntry("top", double.PositiveInfinity)],
            await redis.SortedSetRangeWithScoresAsync(key));
        Assert.Equal(2.25, await redis.SortedSetScoreAsync(key, "b"));
        Assert.Equal(double.PositiveInfinity, await redis.SortedSetScoreAsync(key, "top"));
        Assert.Null(await redis.SortedSetScoreAsync(key, "missing"));
        Assert.Equal(2, await redis.SortedSetRemoveAsync(key, "bottom", "top", "missing"));
        Assert.Equal([new SortedSetEntry("a", -1.5), new SortedSetEntry("b", 2.25)], await redis.SortedSetRangeWithScoresAsync(key));
        await Assert.ThrowsAsync<ArgumentOutOfRangeException>(() => redis.SortedSetAddAsync(key, "nan", double.NaN));
    }

    [Fact]
    public async Task WrongType_TypedCall_ThrowsBackendErrorWithWrongType()
    {
        var (redis, p) = await NewProjectAsync();
        await redis.ListRightPushAsync($"{p}:list", "x");

        var error = await Assert.ThrowsAsync<ConduitException>(() => redis.HashGetAsync($"{p}:list", "f"));

        Assert.Equal(ErrorCodes.BackendError, error.Code);
        Assert.Equal("WRONGTYPE", error.BackendCode);
        Assert.False(error.IsTransient);
    }

    [Fact]
    public async Task BatchAsync_Typed_ResultsInOrderWithFailuresAlone()
    {
        var (redis, p) = await NewProjectAsync();

        var results = await redis.BatchAsync(
            new RedisCommand("SET", [$"{p}:k", "v"]),
            new RedisCommand("RPUSH", [$"{p}:l", "x"]),
            new RedisCommand("INCR", [$"{p}:l"]),
            new RedisCommand("GET", [$"{p}:k"]));

        Assert.Equal("OK", results[0].GetReplyOrThrow().Text);
        Assert.Equal(1, results[1].GetReplyOrThrow().Number);
        var wrongType = Assert.Throws<ConduitException>(() => results[2].GetReplyOrThrow());
        Assert.Equal(ErrorCodes.BackendError, wrongType.Code);
        Assert.Equal("WRONGTYPE", wrongType.BackendCode);
        Assert.Equal("v", results[3].GetReplyOrThrow().Text);
    }

    [Fact]
    public async Task PublishAsync_ToSubscribedChannel_CountsTheGrainOnce()
    {
        var (redis, p) = await NewProjectAsync();
        var channel = $"{p}:news";
        var received = new ConcurrentQueue<string>();
        await using var first = await redis.SubscribeAsync(channel, (_, m) => received.Enqueue(m));
        await using var second = await redis.SubscribeAsync(channel, (_, m) => received.Enqueue(m));

        Assert.Equal(1, await redis.PublishAsync(channel, "hello"));
        await Eventually.TrueAsync(() => Task.FromResult(received.Count == 2), TimeSpan.FromSeconds(10));
        Assert.All(received, m => Assert.Equal("hello", m));
    }
}
