using Conduit.Client;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Orleans.Runtime;

namespace Conduit.Bench.Infrastructure;

/// <summary>This process as a web frontend would be: an Orleans client (AddConduitClient) connected to the silo's gateway.</summary>
internal sealed class ConduitFrontend : IAsyncDisposable
{
    private readonly IHost _host;

    private ConduitFrontend(IHost host)
    {
        _host = host;
        Conduit = host.Services.GetRequiredService<IConduit>();
        Cluster = host.Services.GetRequiredService<IClusterClient>();
    }

    /// <summary>The typed Conduit client.</summary>
    public IConduit Conduit { get; }

    /// <summary>The Orleans client underneath (for management calls).</summary>
    public IClusterClient Cluster { get; }

    /// <summary>The management grain of the silo's cluster.</summary>
    public IManagementGrain Management => Cluster.GetGrain<IManagementGrain>(0);

    /// <summary>Connects to <paramref name="silo"/>; <paramref name="redisInFlight"/> sets the client's <c>RedisMaxInFlightCalls</c> (null: its default).</summary>
    public static async Task<ConduitFrontend> ConnectAsync(SiloProcess silo, string clusterId, int? redisInFlight = null)
    {
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true });
        builder.Logging.SetMinimumLevel(LogLevel.Warning);
        builder.Logging.AddSimpleConsole(o => o.SingleLine = true);
        builder.Services.AddConduitClient(options =>
        {
            options.Gateways.Add($"127.0.0.1:{silo.GatewayPort}");
            options.ClusterId = clusterId;
            if (redisInFlight is { } inFlight)
            {
                options.RedisMaxInFlightCalls = inFlight;
            }
        });
        var host = builder.Build();
        await host.StartAsync().ConfigureAwait(false);
        return new ConduitFrontend(host);
    }

    /// <summary>Active <c>ProjectConnectionGrain</c> activations in the cluster.</summary>
    public async Task<int> CountTenantActivationsAsync()
    {
        var stats = await Management.GetSimpleGrainStatistics().ConfigureAwait(false);
        return stats.Where(s => s.GrainType.Contains("ProjectConnectionGrain", StringComparison.Ordinal)).Sum(s => s.ActivationCount);
    }

    /// <summary>Deactivates every idle activation and waits until no tenant grain is left.</summary>
    public async Task DeactivateAllAsync(TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (true)
        {
            await Management.ForceActivationCollection(TimeSpan.Zero).ConfigureAwait(false);
            var left = await CountTenantActivationsAsync().ConfigureAwait(false);
            if (left == 0)
            {
                return;
            }

            if (DateTime.UtcNow > deadline)
            {
                throw new InvalidOperationException($"{left} tenant grains were still active after asking the silo to deactivate them for {timeout.TotalSeconds:0} s.");
            }

            await Task.Delay(250).ConfigureAwait(false);
        }
    }

    public async ValueTask DisposeAsync()
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        try
        {
            await _host.StopAsync(timeout.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
        }

        _host.Dispose();
    }
}
