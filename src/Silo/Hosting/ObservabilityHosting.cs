using Conduit.Diagnostics;
using Conduit.Platform;
using Conduit.Registry;
using Conduit.Silo.Dashboard;
using Conduit.Silo.Maintenance;
using Conduit.Silo.Metrics;
using Microsoft.Extensions.Options;
using Prometheus;

namespace Conduit.Silo.Hosting;

/// <summary>Registers and maps what operators watch: Prometheus metrics, metric history and its retention, the Orleans dashboard (see docs/OBSERVABILITY.md).</summary>
public static class ObservabilityHosting
{
    /// <summary>Adds the metrics registry, the product's metrics observer, the meter export and, with the PostgreSQL platform store, the history writer and the cluster-wide retention job.</summary>
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

        services.AddOptions<HistoryOptions>().Bind(config.GetSection(HistoryOptions.Section)).ValidateDataAnnotations().ValidateOnStart();
        services.AddOptions<RetentionOptions>().Bind(config.GetSection(RetentionOptions.Section)).ValidateDataAnnotations().ValidateOnStart();
        if (!string.IsNullOrWhiteSpace(config[PlatformConnectionString.EnvironmentVariable]))
        {
            // History and its retention live in the PostgreSQL platform store; the in-memory store keeps neither.
            services.AddSingleton<PlatformHistoryWriter>();
            services.AddSingleton<IDataPlaneObserver>(sp => sp.GetRequiredService<PlatformHistoryWriter>());
            services.AddHostedService(sp => sp.GetRequiredService<PlatformHistoryWriter>());
            services.AddSingleton<PlatformRetention>();
            services.AddSingleton<ILifecycleParticipant<ISiloLifecycle>, PlatformMaintenanceStartup>();
        }

        builder.AddConduitDashboard();
    }

    /// <summary>Maps <c>/metrics</c>, <c>/api/platform/metrics</c> and the dashboard at <c>/dashboard</c>.</summary>
    public static void MapConduitObservability(this WebApplication app)
    {
        ArgumentNullException.ThrowIfNull(app);
        app.MapMetricsEndpoints();
        app.MapConduitDashboard();
    }
}
