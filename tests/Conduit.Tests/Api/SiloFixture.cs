using Conduit.Tests.Infrastructure;

namespace Conduit.Tests.Api;

/// <summary>One default-configured silo shared by a test class.</summary>
public sealed class SiloFixture : IAsyncLifetime
{
    public ConduitSilo Silo { get; private set; } = null!;

    public async Task InitializeAsync() => Silo = await ConduitSilo.StartAsync();

    public async Task DisposeAsync() => await Silo.DisposeAsync();
}
