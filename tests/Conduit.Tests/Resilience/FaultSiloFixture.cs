using Conduit.Tests.Infrastructure;

namespace Conduit.Tests.Resilience;

/// <summary>
/// A silo for fault tests: quick breakers (2 calls, 50 %, 1 s open), a 1 s STARTER query timeout,
/// a 2 s connect timeout, a 1 s FREE acquire timeout and a small STARTER rate limit on Redis-heavy tests.
/// </summary>
public sealed class FaultSiloFixture : IAsyncLifetime
{
    public ConduitSilo Silo { get; private set; } = null!;

    public async Task InitializeAsync() => Silo = await ConduitSilo.StartAsync(new Dictionary<string, string?>
    {
        ["Conduit:CircuitBreaker:PostgreSql:MinimumThroughput"] = "2",
        ["Conduit:CircuitBreaker:PostgreSql:FailureRatio"] = "0.5",
        ["Conduit:CircuitBreaker:PostgreSql:SamplingDuration"] = "00:00:10",
        ["Conduit:CircuitBreaker:PostgreSql:BreakDuration"] = "00:00:01",
        ["Conduit:Tiers:Starter:QueryTimeout"] = "00:00:01",
        ["Conduit:Tiers:Free:AcquireTimeout"] = "00:00:01",
        ["Conduit:Tiers:Enterprise:RequestsPerSecond"] = "5",
        ["Conduit:Tiers:Enterprise:Burst"] = "5",
        ["Conduit:DataPlane:ConnectTimeout"] = "00:00:02",
    });

    public async Task DisposeAsync() => await Silo.DisposeAsync();
}
