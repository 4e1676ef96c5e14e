using Conduit.Client;
using Conduit.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace Conduit.Tests.Redis;

/// <summary>
/// A silo with 2 s Redis subscription leases, 200 ms SSE keepalives, a 20-command batch cap, a 1 s
/// FREE query timeout and a quick Redis breaker (2 calls), plus an Orleans client connected to it.
/// </summary>
public sealed class ShortLeaseSiloFixture : IAsyncLifetime
{
    private IHost? _client;

    public ConduitSilo Silo { get; private set; } = null!;

    public IConduit Conduit { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        Silo = await ConduitSilo.StartAsync(new Dictionary<string, string?>
        {
            ["Conduit:DataPlane:RedisSubscriptionLease"] = "00:00:02",
            ["Conduit:DataPlane:RedisSseKeepAlive"] = "00:00:00.200",
            ["Conduit:DataPlane:RedisMaxBatchCommands"] = "20",
            ["Conduit:DataPlane:ConnectTimeout"] = "00:00:02",
            ["Conduit:Tiers:Free:QueryTimeout"] = "00:00:01",
            ["Conduit:CircuitBreaker:Redis:MinimumThroughput"] = "2",
            ["Conduit:CircuitBreaker:Redis:FailureRatio"] = "0.5",
            ["Conduit:CircuitBreaker:Redis:BreakDuration"] = "00:00:01",
        });
        _client = await Silo.ConnectClientAsync();
        Conduit = _client.Services.GetRequiredService<IConduit>();
    }

    public async Task DisposeAsync()
    {
        if (_client is not null)
        {
            await _client.StopAsync();
            _client.Dispose();
        }

        await Silo.DisposeAsync();
    }
}
