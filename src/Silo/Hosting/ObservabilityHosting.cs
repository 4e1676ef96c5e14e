using Conduit.Diagnostics;
using Conduit.Silo.Metrics;
using Microsoft.Extensions.Options;
using Prometheus;

namespace Conduit.Silo.Hosting;

/// <summary>Registers and maps what operators watch: Prometheus metrics (see docs/OBSERVABILITY.md).</summary>
public static class ObservabilityHosting
{
    /// <summary>Adds the metrics registry, the product's metrics observer and the meter export.</summary>
    public static void AddConduitObservability(this WebApplicationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        var config = builder.Configuration;
        var services = builder.Services;
        services.AddOptions<MetricsOptions>().Bind(config.GetSection(MetricsOptions.Section)).ValidateDataAnnotations().ValidateOnStart();
        services.AddSingleton<IValidateOptions<MetricsOptions>, MetricsOptionsValidator>();
        services.AddSingleton(_ =>
        {
            // One registry per silo (not prometheus-net's static default), so silos sharing a process stay apart.
            var registry = Prometheus.Metrics.NewCustomRegistry();
            DotNetStats.Register(registry);
            return registry;
        });
        services.AddSingleton<ConduitMetrics>();
        services.AddSingleton<IDataPlaneObserver>(sp => sp.GetRequiredService<ConduitMetrics>());
        services.AddHostedService<MeterExport>();
    }

    /// <summary>Maps <c>/metrics</c> and <c>/api/platform/metrics</c>.</summary>
    public static void MapConduitObservability(this WebApplication app)
    {
        ArgumentNullException.ThrowIfNull(app);
        app.MapMetricsEndpoints();
    }
}
