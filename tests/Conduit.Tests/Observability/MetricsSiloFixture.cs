using Conduit.Tests.Infrastructure;

namespace Conduit.Tests.Observability;

/// <summary>One silo per test class whose grains sample their pools every 250 ms (so gauges fill quickly).</summary>
public sealed class MetricsSiloFixture : IAsyncLifetime
{
    public ConduitSilo Silo { get; private set; } = null!;

    public async Task InitializeAsync() => Silo = await ConduitSilo.StartAsync(new Dictionary<string, string?>
    {
        ["Conduit:IdleCleanup:CheckInterval"] = "00:00:00.250",

        // The dashboard tests read its counters right after calls; its 5 s default would make them wait.
        ["Conduit:Dashboard:CounterUpdateInterval"] = "00:00:01",
    });

    public async Task DisposeAsync() => await Silo.DisposeAsync();
}
