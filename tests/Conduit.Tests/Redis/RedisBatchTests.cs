using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Conduit.Errors;
using Conduit.Projects;
using Conduit.Redis;
using Conduit.Tests.Api;
using Conduit.Tests.Infrastructure;

namespace Conduit.Tests.Redis;

/// <summary><c>POST …/redis/batch</c> and <c>RedisBatchAsync</c> on a default silo.</summary>
public sealed class RedisBatchTests(SiloFixture fixture) : IClassFixture<SiloFixture>
{
    private ConduitSilo Silo => fixture.Silo;

    private async Task<JsonElement[]> BatchAsync(string projectRef, object body)
    {
        var response = await Silo.Admin.PostAsJsonAsync($"/api/platform/projects/{projectRef}/redis/batch", body);
        Assert.True(response.StatusCode == HttpStatusCode.OK, await response.Content.ReadAsStringAsync());
        return [.. (await response.JsonAsync()).GetProperty("results").EnumerateArray()];
    }

    private static object Command(string command, params object?[] args) => new { command, args };

    [Fact]
    public async Task Batch_EveryDataType_ResultsInOrder()
    {
        var p = await RedisProjects.CreateAsync(Silo);

        var results = await BatchAsync(p, new
        {
            commands = new[]
            {
                Command("SET", $"{p}:s", "v", "EX", 60),
                Command("GET", $"{p}:s"),
                Command("INCRBY", $"{p}:n", 5),
                Command("HSET", $"{p}:h", "f", "x"),
                Command("HGETALL", $"{p}:h"),
                Command("RPUSH", $"{p}:l", "a", "b"),
                Command("LRANGE", $"{p}:l", 0, -1),
                Command("SADD", $"{p}:set", "m"),
                Command("SISMEMBER", $"{p}:set", "m"),
                Command("ZADD", $"{p}:z", 1, "one"),
                Command("ZRANGE", $"{p}:z", 0, -1, "WITHSCORES"),
                Command("MGET", $"{p}:s", $"{p}:missing"),
                Command("PUBLISH", $"{p}:c", "hi"),
            },
        });

        Assert.Equal(
            """[{"result":"OK"},{"result":"v"},{"result":5},{"result":1},{"result":["f","x"]},{"result":2},{"result":["a","b"]},{"result":1},{"result":1},{"result":1},{"result":["one","1"]},{"result":["v",null]},{"result":0}]""",
            JsonSerializer.Serialize(results));
    }

    [Fact]
    public async Task Batch_WrongTypeItem_FailsAloneAndBreakerStaysClosed()
    {
        var p = await RedisProjects.CreateAsync(Silo);
        await Silo.Admin.RedisAsync(p, "RPUSH", $"{p}:list", "x");

        var results = await BatchAsync(p, new { commands = new[] { Command("SET", $"{p}:k", "v"), Command("INCR", $"{p}:list"), Command("GET", $"{p}:k") } });

        Assert.Equal("OK", results[0].GetProperty("result").GetString());
        var error = results[1].GetProperty("error");
        Assert.Equal("BACKEND_ERROR", error.GetProperty("code").GetString());
        Assert.Equal("WRONGTYPE", error.GetProperty("backendCode").GetString());
        Assert.StartsWith("Redis rejected the command: WRONGTYPE", error.GetProperty("message").GetString(), StringComparison.Ordinal);
        Assert.False(results[1].TryGetProperty("result", out _));
        Assert.Equal("v", results[2].GetProperty("result").GetString());
        var stats = (await Silo.Grains.GetGrain<IProjectConnectionGrain>(p).GetStatsAsync()).Databases.Single();
        Assert.Equal(BreakerState.Closed, stats.Breaker);
    }

    [Fact]
    public async Task Batch_InvalidItems_FailAloneWithIndexedMessages()
    {
        var p = await RedisProjects.CreateAsync(Silo);

        var results = await BatchAsync(p, new
        {
            commands = new object?[]
            {
                Command("SET", $"{p}:a", "1"),
                Command("FLUSHALL"),
                Command("SET", $"{p}:b"),
                Command("GET", new { nested = true }),
                null,
                Command("EXPIRE", $"{p}:a", "soon"),
                new { command = "GET", args = new[] { $"{p}:a" }, database = "cache" },
                Command("GET", $"{p}:a"),
            },
        });

        string Message(int i) => results[i].GetProperty("error").GetProperty("message").GetString()!;
        string Code(int i) => results[i].GetProperty("error").GetProperty("code").GetString()!;
        Assert.Equal("OK", results[0].GetProperty("result").GetString());
        Assert.Equal("UNSUPPORTED_COMMAND", Code(1));
        Assert.StartsWith("commands[1].command: 'FLUSHALL' is not supported.", Message(1), StringComparison.Ordinal);
        Assert.Equal("INVALID_REQUEST", Code(2));
        Assert.Equal("commands[2].args: wrong number of arguments (1) for SET. Usage: SET key value [EX seconds|PX milliseconds|KEEPTTL] [NX|XX] [GET].", Message(2));
        Assert.Equal("commands[3].args[0]: Redis arguments must be strings or numbers.", Message(3));
        Assert.Equal("commands[4]: a command object is required.", Message(4));
        Assert.Equal("commands[5].args[1]: must be an integer.", Message(5));
        Assert.Equal("commands[6].database: every command of a batch runs on the batch's database ('default'); set the database on the batch.", Message(6));
        Assert.Equal("1", results[7].GetProperty("result").GetString());
    }

    [Fact]
    public async Task Batch_HundredCommands_OneOperationThroughThePipeline()
    {
        var p = await RedisProjects.CreateAsync(Silo);
        var grain = Silo.Grains.GetGrain<IProjectConnectionGrain>(p);
        await grain.RedisExecuteAsync(new RedisCommand("SET", [$"{p}:k", "v"]));
        var before = (await grain.GetStatsAsync()).Databases.Single().Operations;

        var results = await grain.RedisBatchAsync(new RedisBatch([.. Enumerable.Range(0, 100).Select(i => new RedisCommand(i % 2 == 0 ? "GET" : "INCR", [i % 2 == 0 ? $"{p}:k" : $"{p}:n"]))]));

        Assert.Equal(100, results.Count);
        Assert.All(results.Where((_, i) => i % 2 == 0), r => Assert.Equal("v", r.GetReplyOrThrow().Text));
        Assert.Equal(Enumerable.Range(1, 50).Select(i => (long)i), results.Where((_, i) => i % 2 == 1).Select(r => r.GetReplyOrThrow().Number));
        Assert.Equal(before + 1, (await grain.GetStatsAsync()).Databases.Single().Operations);
    }

    [Fact]
    public async Task Batch_OverDefaultMaximum_Returns413NamingTheSetting()
    {
        var p = await RedisProjects.CreateAsync(Silo);

        var response = await Silo.Admin.PostAsJsonAsync($"/api/platform/projects/{p}/redis/batch", new { commands = Enumerable.Range(0, 1001).Select(_ => Command("GET", "k")) });

        var problem = await response.AssertProblemAsync(HttpStatusCode.RequestEntityTooLarge, "PAYLOAD_TOO_LARGE");
        Assert.Equal("commands: a batch holds at most 1000 commands (Conduit:DataPlane:RedisMaxBatchCommands) and this one has 1001; split it.", problem.GetProperty("detail").GetString());
    }

    [Fact]
    public async Task Batch_DefaultMaximum_Accepted()
    {
        var p = await RedisProjects.CreateAsync(Silo);

        var results = await BatchAsync(p, new { commands = Enumerable.Range(0, 1000).Select(_ => Command("INCR", $"{p}:n")) });

        Assert.Equal(1000, results[^1].GetProperty("result").GetInt64());
    }

    [Theory]
    [InlineData("""{"commands":[]}""", "commands: a batch needs at least one command.")]
    [InlineData("""{}""", "commands: a list of Redis commands is required.")]
    [InlineData("""{"commands":{}}""", null)]
    public async Task Batch_BadBody_Returns400(string body, string? detail)
    {
        var p = await RedisProjects.CreateAsync(Silo);

        var response = await Silo.Admin.PostAsync($"/api/platform/projects/{p}/redis/batch", new StringContent(body, System.Text.Encoding.UTF8, "application/json"));

        var problem = await response.AssertProblemAsync(HttpStatusCode.BadRequest, "INVALID_REQUEST");
        if (detail is not null)
        {
            Assert.Equal(detail, problem.GetProperty("detail").GetString());
        }
    }

    [Fact]
    public async Task RedisBatchAsync_OverGrain_NullCommandsAndEmpty_InvalidRequest()
    {
        var p = await RedisProjects.CreateAsync(Silo);
        var grain = Silo.Grains.GetGrain<IProjectConnectionGrain>(p);

        var missing = await Assert.ThrowsAsync<ConduitException>(() => grain.RedisBatchAsync(new RedisBatch(null!)));
        var empty = await Assert.ThrowsAsync<ConduitException>(() => grain.RedisBatchAsync(new RedisBatch([])));

        Assert.Equal(ErrorCodes.InvalidRequest, missing.Code);
        Assert.Equal(ErrorCodes.InvalidRequest, empty.Code);
    }

    [Fact]
    public async Task Batch_UnknownDatabase_Returns404()
    {
        var p = await RedisProjects.CreateAsync(Silo);

        var response = await Silo.Admin.PostAsJsonAsync($"/api/platform/projects/{p}/redis/batch", new { commands = new[] { Command("GET", "k") }, database = "cache" });

        await response.AssertProblemAsync(HttpStatusCode.NotFound, "DATABASE_NOT_REGISTERED");
    }
}
