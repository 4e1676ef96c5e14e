using Conduit.Client;
using Microsoft.Extensions.Hosting;

namespace Conduit.Tests.Infrastructure;

/// <summary>A frontend as the product ships it: a started host with <c>AddConduitClient</c> connected to a silo's gateway.</summary>
public static class ClientHost
{
    /// <summary>Starts a client host on <paramref name="silo"/>'s gateway; <paramref name="configure"/> sets further client options.</summary>
    public static async Task<IHost> ConnectClientAsync(this ConduitSilo silo, Action<ConduitClientOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(silo);
        var builder = Host.CreateApplicationBuilder();
        builder.Services.AddConduitClient(o =>
        {
            o.Gateways.Add($"127.0.0.1:{silo.GatewayPort}");
            configure?.Invoke(o);
        });
        var host = builder.Build();
        await host.StartAsync();
        return host;
    }
}
