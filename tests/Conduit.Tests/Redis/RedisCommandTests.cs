using System.Net;
using System.Text.Json;
using Conduit.Projects;
using Conduit.Tests.Api;
using Conduit.Tests.Infrastructure;

namespace Conduit.Tests.Redis;

public sealed class RedisCommandTests(SiloFixture fixture) : IClassFixture<SiloFixture>
{
    private ConduitSilo Silo => fixture.Silo;

    private async Task<string> NewProjectAsync()
    {
        var projectRef = SiloApi.NewRef("r");
        await Silo.CreateProjectAsync(projectRef);
        await Silo.AddDatabaseAsync(projectRef, "redis", TestServers.Redis);
        return projectRef;
    }

    private async Task<JsonElement> RunAsync(string projectRef, string command, params object[] args)
    {
        var response = await Silo.Admin.RedisAsync(projectRef, command, args);
        Assert.True(response.StatusCode == HttpStatusCode.OK, await response.Content.ReadAsStringAsync());
        return (await response.JsonAsync()).GetProperty("result");
    }

    private static string Texts(JsonElement array, bool ordered = false)
    {
        var texts = array.EnumerateArray().Select(v => v.GetString() ?? "null");
        return string.Join(",", ordered ? texts.Order(StringComparer.Ordinal) : texts);
    }

    [Fact]
    public async Task StringCommands_RoundTrip_ReturnRedisReplies()
    {
        var projectRef = await NewProjectAsync();
        var key = $"{projectRef}:s";

        Assert.Equal("OK", (await RunAsync(projectRef, "SET", key, "v1", "EX", 60)).GetString());
        Assert.Equal("v1", (await RunAsync(projectRef, "get", key)).GetString());
        Assert.InRange((await RunAsync(projectRef, "TTL", key)).GetInt64(), 1, 60);
        Assert.Equal(1, (await RunAsync(projectRef, "EXISTS", key)).GetInt64());
        Assert.Equal(1, (await RunAsync(projectRef, "DEL", key)).GetInt64());
        Assert.Equal(JsonValueKind.Null, (await RunAsync(projectRef, "GET", key)).ValueKind);
        Assert.Equal(-2, (await RunAsync(projectRef, "TTL", key)).GetInt64());
    }

    [Fact]
    public async Task Counters_IncrDecrExpire_Work()
    {
        var projectRef = await NewProjectAsync();
        var key = $"{projectRef}:n";

        Assert.Equal(1, (await RunAsync(projectRef, "INCR", key)).GetInt64());
        Assert.Equal(2, (await RunAsync(projectRef, "INCR", key)).GetInt64());
        Assert.Equal(1, (await RunAsync(projectRef, "DECR", key)).GetInt64());
        Assert.Equal(1, (await RunAsync(projectRef, "EXPIRE", key, 30)).GetInt64());
        Assert.InRange((await RunAsync(projectRef, "TTL", key)).GetInt64(), 1, 30);
    }

    [Fact]
    public async Task Set_WithNx_SecondSetReturnsNull()
    {
        var projectRef = await NewProjectAsync();
        var key = $"{projectRef}:nx";

        Assert.Equal("OK", (await RunAsync(projectRef, "SET", key, "a", "NX")).GetString());
        Assert.Equal(JsonValueKind.Null, (await RunAsync(projectRef, "SET", key, "b", "NX")).ValueKind);
        Assert.Equal("a", (await RunAsync(projectRef, "GET", key)).GetString());
    }

    [Fact]
    public async Task StringCommands_MgetIncrbySetXxPx_Work()
    {
        var projectRef = await NewProjectAsync();
        var a = $"{projectRef}:a";
        var b = $"{projectRef}:b";

        Assert.Equal(JsonValueKind.Null, (await RunAsync(projectRef, "SET", a, "1", "XX")).ValueKind);
        Assert.Equal("OK", (await RunAsync(projectRef, "SET", a, "1", "PX", 60000, "NX")).GetString());
        Assert.Equal("OK", (await RunAsync(projectRef, "SET", a, "5", "XX", "KEEPTTL")).GetString());
        Assert.InRange((await RunAsync(projectRef, "TTL", a)).GetInt64(), 1, 60);
        Assert.Equal(15, (await RunAsync(projectRef, "INCRBY", a, 10)).GetInt64());
        Assert.Equal(5, (await RunAsync(projectRef, "INCRBY", a, -10)).GetInt64());
        Assert.Equal("5,null", Texts(await RunAsync(projectRef, "MGET", a, b)));
        Assert.Equal(1, (await RunAsync(projectRef, "EXISTS", a, b)).GetInt64());
        Assert.Equal(1, (await RunAsync(projectRef, "DEL", a, b)).GetInt64());
    }

    [Fact]
    public async Task HashCommands_HsetHgetHgetallHdel_Work()
    {
        var projectRef = await NewProjectAsync();
        var key = $"{projectRef}:h";

        Assert.Equal(2, (await RunAsync(projectRef, "HSET", key, "name", "ada", "born", 1815)).GetInt64());
        Assert.Equal(0, (await RunAsync(projectRef, "HSET", key, "name", "Ada")).GetInt64());
        Assert.Equal("Ada", (await RunAsync(projectRef, "HGET", key, "name")).GetString());
        Assert.Equal(JsonValueKind.Null, (await RunAsync(projectRef, "HGET", key, "missing")).ValueKind);
        var all = (await RunAsync(projectRef, "HGETALL", key)).EnumerateArray().Select(v => v.GetString()).ToList();
        Assert.Equal(4, all.Count);
        Assert.Equal("Ada", all[all.IndexOf("name") + 1]);
        Assert.Equal("1815", all[all.IndexOf("born") + 1]);
        Assert.Equal(1, (await RunAsync(projectRef, "HDEL", key, "born", "missing")).GetInt64());
        Assert.Equal(2, (await RunAsync(projectRef, "HGETALL", key)).GetArrayLength());
    }

    [Fact]
    public async Task ListCommands_PushPopRangeLength_Work()
    {
        var projectRef = await NewProjectAsync();
        var key = $"{projectRef}:l";

        Assert.Equal(2, (await RunAsync(projectRef, "RPUSH", key, "b", "c")).GetInt64());
        Assert.Equal(3, (await RunAsync(projectRef, "LPUSH", key, "a")).GetInt64());
        Assert.Equal("a,b,c", Texts(await RunAsync(projectRef, "LRANGE", key, 0, -1)));
        Assert.Equal(3, (await RunAsync(projectRef, "LLEN", key)).GetInt64());
        Assert.Equal("a", (await RunAsync(projectRef, "LPOP", key)).GetString());
        Assert.Equal("c", (await RunAsync(projectRef, "RPOP", key)).GetString());
        Assert.Equal("b", Texts(await RunAsync(projectRef, "LPOP", key, 5)));
        Assert.Equal(JsonValueKind.Null, (await RunAsync(projectRef, "RPOP", key)).ValueKind);
        Assert.Equal(0, (await RunAsync(projectRef, "LLEN", key)).GetInt64());
    }

    [Fact]
    public async Task SetCommands_AddRemoveMembersIsMember_Work()
    {
        var projectRef = await NewProjectAsync();
        var key = $"{projectRef}:set";

        Assert.Equal(3, (await RunAsync(projectRef, "SADD", key, "x", "y", "z", "x")).GetInt64());
        Assert.Equal(1, (await RunAsync(projectRef, "SREM", key, "z", "w")).GetInt64());
        Assert.Equal("x,y", Texts(await RunAsync(projectRef, "SMEMBERS", key), ordered: true));
        Assert.Equal(1, (await RunAsync(projectRef, "SISMEMBER", key, "x")).GetInt64());
        Assert.Equal(0, (await RunAsync(projectRef, "SISMEMBER", key, "z")).GetInt64());
    }

    [Fact]
    public async Task SortedSetCommands_AddRangeWithScoresRemoveScore_Work()
    {
        var projectRef = await NewProjectAsync();
        var key = $"{projectRef}:z";

        Assert.Equal(3, (await RunAsync(projectRef, "ZADD", key, 2, "b", 1.5, "a", "+inf", "top")).GetInt64());
        Assert.Equal("a,b,top", Texts(await RunAsync(projectRef, "ZRANGE", key, 0, -1)));
        Assert.Equal("a,1.5,b,2", Texts(await RunAsync(projectRef, "ZRANGE", key, 0, 1, "withscores")));
        Assert.Equal("1.5", (await RunAsync(projectRef, "ZSCORE", key, "a")).GetString());
        Assert.Equal("inf", (await RunAsync(projectRef, "ZSCORE", key, "top")).GetString());
        Assert.Equal(JsonValueKind.Null, (await RunAsync(projectRef, "ZSCORE", key, "missing")).ValueKind);
        Assert.Equal(2, (await RunAsync(projectRef, "ZREM", key, "a", "top", "missing")).GetInt64());
        Assert.Equal("b", Texts(await RunAsync(projectRef, "ZRANGE", key, 0, -1)));
    }

    [Fact]
    public async Task Publish_NoSubscriber_ReturnsZeroReceivers()
    {
        var projectRef = await NewProjectAsync();

        Assert.Equal(0, (await RunAsync(projectRef, "PUBLISH", $"{projectRef}:nobody", "hello")).GetInt64());
    }

    [Fact]
    public async Task WrongType_BackendErrorAndBreakerStaysClosed()
    {
        var projectRef = await NewProjectAsync();
        var key = $"{projectRef}:list";
        await RunAsync(projectRef, "RPUSH", key, "x");

        for (var i = 0; i < 10; i++)
        {
            var problem = await (await Silo.Admin.RedisAsync(projectRef, "INCR", key)).AssertProblemAsync(HttpStatusCode.UnprocessableEntity, "BACKEND_ERROR");
            Assert.Equal("WRONGTYPE", problem.GetProperty("backendCode").GetString());
        }

        var stats = await Silo.Grains.GetGrain<IProjectConnectionGrain>(projectRef).GetStatsAsync();
        Assert.Equal(BreakerState.Closed, stats.Databases.Single().Breaker);
    }

    [Theory]
    [InlineData("FLUSHALL")]
    [InlineData("CONFIG")]
    [InlineData("EVAL")]
    [InlineData("KEYS")]
    public async Task Command_OutsideSupportedSet_Returns400UnsupportedCommand(string command)
    {
        var projectRef = await NewProjectAsync();

        var response = await Silo.Admin.RedisAsync(projectRef, command, "x");

        await response.AssertProblemAsync(HttpStatusCode.BadRequest, "UNSUPPORTED_COMMAND");
    }

    [Theory]
    [InlineData("GET")]
    [InlineData("SET", "k")]
    [InlineData("SET", "k", "v", "EX", "soon")]
    [InlineData("SET", "k", "v", "NX", "XX")]
    [InlineData("EXPIRE", "k", "ten")]
    [InlineData("HSET", "h", "f")]
    [InlineData("ZADD", "z", "nan", "m")]
    [InlineData("ZADD", "z", "high", "m")]
    [InlineData("ZRANGE", "z", "0", "-1", "REV")]
    [InlineData("LRANGE", "l", "first", "-1")]
    [InlineData("LPOP", "l", "some")]
    [InlineData("PUBLISH", "c")]
    public async Task Command_BadArguments_Returns400NamingArgs(string command, params string[] args)
    {
        var projectRef = await NewProjectAsync();

        var response = await Silo.Admin.RedisAsync(projectRef, command, args);

        var problem = await response.AssertProblemAsync(HttpStatusCode.BadRequest, "INVALID_REQUEST");
        Assert.StartsWith("args", problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Redis_Unreachable_BackendUnavailable()
    {
        var projectRef = SiloApi.NewRef("r");
        await Silo.CreateProjectAsync(projectRef);
        await Silo.AddDatabaseAsync(projectRef, "redis", "127.0.0.1:1,connectTimeout=500");

        var response = await Silo.Admin.RedisAsync(projectRef, "GET", "k");

        await response.AssertProblemAsync(HttpStatusCode.ServiceUnavailable, "BACKEND_UNAVAILABLE");
    }
}
