using Conduit.Tests.Infrastructure;

namespace Conduit.Tests.Resilience;

/// <summary>A silo with a quick breaker (2 calls, 50 %, 1 s open) and a 1 s FREE query timeout.</summary>
public sealed class BreakerSiloFixture : IAsyncLifetime
{
    public ConduitSilo Silo { get; private set; } = null!;

    public async Task InitializeAsync() => Silo = await ConduitSilo.StartAsync(new Dictionary<string, string?>
    {
        ["Conduit:CircuitBreaker:PostgreSql:MinimumThroughput"] = "2",
        ["Conduit:CircuitBreaker:PostgreSql:FailureRatio"] = "0.5",
        ["Conduit:CircuitBreaker:PostgreSql:SamplingDuration"] = "00:00:10",
        ["Conduit:CircuitBreaker:PostgreSql:BreakDuration"] = "00:00:01",
        ["Conduit:CircuitBreaker:Redis:MinimumThroughput"] = "2",
        ["Conduit:CircuitBreaker:Redis:BreakDuration"] = "00:00:01",
        ["Conduit:Tiers:Free:QueryTimeout"] = "00:00:01",
        ["Conduit:DataPlane:ConnectTimeout"] = "00:00:02",
    });

    public async Task DisposeAsync() => await Silo.DisposeAsync();
}
