using System.Net;
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

    private async Task<System.Text.Json.JsonElement> RunAsync(string projectRef, string command, params object[] args)
    {
        var response = await Silo.Admin.RedisAsync(projectRef, command, args);
        Assert.True(response.StatusCode == HttpStatusCode.OK, await response.Content.ReadAsStringAsync());
        return (await response.JsonAsync()).GetProperty("result");
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
        Assert.Equal(System.Text.Json.JsonValueKind.Null, (await RunAsync(projectRef, "GET", key)).ValueKind);
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
        Assert.Equal(System.Text.Json.JsonValueKind.Null, (await RunAsync(projectRef, "SET", key, "b", "NX")).ValueKind);
        Assert.Equal("a", (await RunAsync(projectRef, "GET", key)).GetString());
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
