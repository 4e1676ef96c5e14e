using System.Net;
using System.Net.Http.Json;
using Conduit.Errors;
using Conduit.Projects;
using Conduit.Redis;
using Conduit.Tests.Infrastructure;

namespace Conduit.Tests.Redis;

/// <summary>Batches on a silo with a 20-command cap, a 1 s FREE query timeout and a breaker that opens after 2 calls.</summary>
public sealed class RedisBatchLimitsTests(ShortLeaseSiloFixture fixture) : IClassFixture<ShortLeaseSiloFixture>
{
    private static readonly string[] Key = ["k"];

    private ConduitSilo Silo => fixture.Silo;

    [Fact]
    public async Task Batch_OverConfiguredMaximum_PayloadTooLarge()
    {
        var p = await RedisProjects.CreateAsync(Silo);
        var grain = Silo.Grains.GetGrain<IProjectConnectionGrain>(p);

        var error = await Assert.ThrowsAsync<ConduitException>(() => grain.RedisBatchAsync(new RedisBatch([.. Enumerable.Repeat(new RedisCommand("GET", ["k"]), 21)])));
        var response = await Silo.Admin.PostAsJsonAsync($"/api/platform/projects/{p}/redis/batch", new { commands = Enumerable.Repeat(new { command = "GET", args = Key }, 21) });

        Assert.Equal(ErrorCodes.PayloadTooLarge, error.Code);
        Assert.Equal("commands: a batch holds at most 20 commands (Conduit:DataPlane:RedisMaxBatchCommands) and this one has 21; split it.", error.Message);
        await response.AssertProblemAsync(HttpStatusCode.RequestEntityTooLarge, "PAYLOAD_TOO_LARGE");
        Assert.Equal(20, (await grain.RedisBatchAsync(new RedisBatch([.. Enumerable.Repeat(new RedisCommand("INCR", [$"{p}:n"]), 20)])))[^1].GetReplyOrThrow().Number);
    }

    [Fact]
    public async Task Batch_ConnectionStalls_FailsOnceAndCountsOnceForTheBreaker()
    {
        var port = int.Parse(TestServers.Redis.Split(',')[0].Split(':')[1], System.Globalization.CultureInfo.InvariantCulture);
        await using var forwarder = new TcpForwarder(new IPEndPoint(IPAddress.Loopback, port));
        forwarder.Start();
        var viaForwarder = $"127.0.0.1:{forwarder.Port}," + string.Join(',', TestServers.Redis.Split(',').Skip(1));
        var p = await RedisProjects.CreateAsync(Silo, "FREE", viaForwarder);
        var grain = Silo.Grains.GetGrain<IProjectConnectionGrain>(p);
        await grain.RedisExecuteAsync(new RedisCommand("SET", [$"{p}:k", "v"]));
        await grain.RedisExecuteAsync(new RedisCommand("GET", [$"{p}:k"]));
        await grain.RedisExecuteAsync(new RedisCommand("GET", [$"{p}:k"]));
        var before = (await grain.GetStatsAsync()).Databases.Single();

        forwarder.Delay = TimeSpan.FromSeconds(3);
        forwarder.Mode = TcpForwarder.FaultMode.Delay;
        var error = await Assert.ThrowsAsync<ConduitException>(() => grain.RedisBatchAsync(new RedisBatch([.. Enumerable.Repeat(new RedisCommand("GET", [$"{p}:k"]), 20)])));
        var after = (await grain.GetStatsAsync()).Databases.Single();

        Assert.Equal(ErrorCodes.QueryTimeout, error.Code);
        Assert.True(error.IsTransient);
        Assert.Equal(before.Errors + 1, after.Errors);

        // One failure in four calls stays under the breaker's 50 %; twenty failed commands would have opened it.
        Assert.Equal(BreakerState.Closed, after.Breaker);
    }
}
