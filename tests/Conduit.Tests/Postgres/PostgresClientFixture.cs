using Conduit.Client;
using Conduit.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace Conduit.Tests.Postgres;

/// <summary>A default silo plus an Orleans client connected over its gateway, so values really cross the wire.</summary>
public sealed class PostgresClientFixture : IAsyncLifetime
{
    private IHost? _client;

    public ConduitSilo Silo { get; private set; } = null!;

    public IConduit Conduit { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        Silo = await ConduitSilo.StartAsync();
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
