using Conduit.Client;
using Conduit.Errors;
using Conduit.Tests.Api;
using Conduit.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace Conduit.Tests.Client;

/// <summary>
/// The client pipelines concurrent Redis commands to one project into batch calls to its grain; each
/// command must still get exactly its own reply or error, against the real silo and Redis.
/// </summary>
public sealed class RedisPipeliningTests(SiloFixture fixture) : IClassFixture<SiloFixture>
{
    private async Task<(IHost Host, ConduitClient Client, string Ref)> ClientAsync(int maxInFlight)
    {
        var silo = fixture.Silo;
        var projectRef = SiloApi.NewRef("pipe");
        await silo.CreateProjectAsync(projectRef, "PRO");
        await silo.AddDatabaseAsync(projectRef, "redis", TestServers.Redis);
        var host = await silo.ConnectClientAsync(o =>
        {
            o.RedisMaxInFlightCalls = maxInFlight;
            o.RedisMaxCoalescedCommands = 16;
        });
        return (host, (ConduitClient)host.Services.GetRequiredService<IConduit>(), projectRef);
    }

    [Fact]
    public async Task ConcurrentCommands_OneInFlight_AreCoalescedAndEachGetsItsOwnReply()
    {
        var (host, client, projectRef) = await ClientAsync(maxInFlight: 1);
        using var _ = host;
        var redis = client.Project(projectRef).Redis;

        var sets = Enumerable.Range(0, 200).Select(i => redis.SetAsync($"{projectRef}:k{i}", $"v{i}")).ToList();
        await Task.WhenAll(sets);
        var increments = Enumerable.Range(0, 200).Select(_ => redis.IncrementAsync($"{projectRef}:n")).ToList();
        var gets = Enumerable.Range(0, 200).Select(i => redis.GetAsync($"{projectRef}:k{i}")).ToList();
        var values = await Task.WhenAll(gets);
        var counts = await Task.WhenAll(increments);

        Assert.All(sets, s => Assert.True(s.Result));
        Assert.Equal(Enumerable.Range(0, 200).Select(i => $"v{i}"), values);
        Assert.Equal(Enumerable.Range(1, 200).Select(i => (long)i), counts.Order());
        Assert.True(client.RedisCoalescedCommands > 0, "600 concurrent commands with one call in flight must travel in batches");
    }

    [Fact]
    public async Task CoalescedBatch_FailingCommandsFailAloneWithTheirOwnCodeAndMessage()
    {
        var (host, client, projectRef) = await ClientAsync(maxInFlight: 1);
        using var _ = host;
        var redis = client.Project(projectRef).Redis;
        await redis.ExecuteAsync("LPUSH", $"{projectRef}:list", "x");

        var calls = new List<Task<Conduit.Redis.RedisReply>>();
        for (var i = 0; i < 30; i++)
        {
            calls.Add(redis.ExecuteAsync("SET", $"{projectRef}:s{i}", "v"));
            calls.Add(redis.ExecuteAsync("GET", $"{projectRef}:list"));
            calls.Add(redis.ExecuteAsync("EXPIRE", $"{projectRef}:s{i}", "not-a-number"));
        }

        var outcomes = await Task.WhenAll(calls.Select(async c =>
        {
            try
            {
                return (Reply: (Conduit.Redis.RedisReply?)await c, Error: (ConduitException?)null);
            }
            catch (ConduitException e)
            {
                return (Reply: (Conduit.Redis.RedisReply?)null, Error: (ConduitException?)e);
            }
        }));

        for (var i = 0; i < 30; i++)
        {
            Assert.Equal("OK", outcomes[3 * i].Reply!.Text);
            var wrongType = outcomes[(3 * i) + 1].Error!;
            Assert.Equal(ErrorCodes.BackendError, wrongType.Code);
            Assert.Equal("WRONGTYPE", wrongType.BackendCode);
            var invalid = outcomes[(3 * i) + 2].Error!;
            Assert.Equal(ErrorCodes.InvalidRequest, invalid.Code);
            Assert.StartsWith("args[", invalid.Message, StringComparison.Ordinal);
        }

        Assert.True(client.RedisCoalescedCommands > 0);
    }

    [Fact]
    public async Task CoalescedBatch_BreakerIsolated_EveryCommandGetsCircuitOpen()
    {
        var (host, client, projectRef) = await ClientAsync(maxInFlight: 1);
        using var _ = host;
        var redis = client.Project(projectRef).Redis;
        await redis.SetAsync($"{projectRef}:k", "v");
        var isolate = await fixture.Silo.Admin.PostAsync($"/api/platform/projects/{projectRef}/breakers/redis/isolate", null);
        Assert.True(isolate.IsSuccessStatusCode, await isolate.Content.ReadAsStringAsync());

        var calls = Enumerable.Range(0, 50).Select(_ => redis.GetAsync($"{projectRef}:k")).ToList();
        var codes = await Task.WhenAll(calls.Select(async c =>
        {
            try
            {
                await c;
                return "OK";
            }
            catch (ConduitException e)
            {
                return e.Code;
            }
        }));

        Assert.All(codes, c => Assert.Equal(ErrorCodes.CircuitOpen, c));
    }

    [Fact]
    public async Task Pipelining_Disabled_EveryCommandIsItsOwnCall()
    {
        var (host, client, projectRef) = await ClientAsync(maxInFlight: 0);
        using var _ = host;
        var redis = client.Project(projectRef).Redis;

        var counts = await Task.WhenAll(Enumerable.Range(0, 100).Select(_ => redis.IncrementAsync($"{projectRef}:n")));

        Assert.Equal(Enumerable.Range(1, 100).Select(i => (long)i), counts.Order());
        Assert.Equal(0, client.RedisCoalescedCommands);
    }

    [Fact]
    public async Task Sweep_IdleCoalescersAreDroppedAndANewOneServesTheNextCall()
    {
        var (host, _, projectRef) = await ClientAsync(maxInFlight: 2);
        using var _ = host;
        var grain = fixture.Silo.Grains.GetGrain<Conduit.Projects.IProjectConnectionGrain>(projectRef);
        using var pipelining = new RedisPipelining(new ConduitClientOptions { RedisMaxInFlightCalls = 2 });

        await pipelining.ExecuteAsync(projectRef, grain, new Conduit.Redis.RedisCommand("SET", [$"{projectRef}:k", "1"]));
        Assert.Equal(1, pipelining.Count);
        pipelining.Sweep(TimeSpan.Zero);
        Assert.Equal(0, pipelining.Count);
        var reply = await pipelining.ExecuteAsync(projectRef, grain, new Conduit.Redis.RedisCommand("GET", [$"{projectRef}:k"]));

        Assert.Equal("1", reply.Text);
        Assert.Equal(1, pipelining.Count);
    }

    [Theory]
    [InlineData(-1, 100)]
    [InlineData(4, 1)]
    [InlineData(4, 1001)]
    public void AddConduitClient_InvalidPipeliningSettings_ThrowNamingTheSetting(int maxInFlight, int maxBatch)
    {
        var services = new ServiceCollection();

        var error = Assert.Throws<ArgumentOutOfRangeException>(() => services.AddConduitClient(o =>
        {
            o.RedisMaxInFlightCalls = maxInFlight;
            o.RedisMaxCoalescedCommands = maxBatch;
        }));

        Assert.Contains(maxInFlight < 0 ? "RedisMaxInFlightCalls" : "RedisMaxCoalescedCommands", error.Message, StringComparison.Ordinal);
    }
}
