using Microsoft.Extensions.Options;
using Orleans.Dashboard;

namespace Conduit.Silo.Dashboard;

/// <summary>Adds the Orleans dashboard (Microsoft.Orleans.Dashboard) to the silo and maps it at <c>/dashboard</c> behind the admin key.</summary>
public static class DashboardHosting
{
    /// <summary>Adds the dashboard's silo services as <see cref="ConduitDashboardOptions"/> says.</summary>
    public static void AddConduitDashboard(this WebApplicationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        var section = builder.Configuration.GetSection(ConduitDashboardOptions.Section);
        builder.Services.AddOptions<ConduitDashboardOptions>().Bind(section).ValidateDataAnnotations().ValidateOnStart();
        var options = section.Get<ConduitDashboardOptions>() ?? new ConduitDashboardOptions();
        if (!options.Enabled)
        {
            return;
        }

        // UseOrleans adds to the one silo builder the host already has.
        builder.UseOrleans(silo => silo.AddDashboard(dashboard =>
        {
            dashboard.HideTrace = true;
            dashboard.CounterUpdateIntervalMs = (int)options.CounterUpdateInterval.TotalMilliseconds;
        }));
        builder.Services.Configure<GrainProfilerOptions>(profiler =>
        {
            profiler.TraceAlways = options.Profiling == DashboardProfiling.Always;
            profiler.DeactivationTime = options.ProfilingIdleTime;
        });
        if (options.Profiling == DashboardProfiling.Off)
        {
            // Only the dashboard's own call filter goes; any other incoming filter stays.
            var profilerFilters = builder.Services.Where(d => d.ServiceType == typeof(IIncomingGrainCallFilter) && d.ImplementationType?.Name == "GrainProfilerFilter").ToList();
            foreach (var descriptor in profilerFilters)
            {
                builder.Services.Remove(descriptor);
            }
        }
    }

    /// <summary>Maps the dashboard and its access check when it is enabled.</summary>
    public static void MapConduitDashboard(this WebApplication app)
    {
        ArgumentNullException.ThrowIfNull(app);
        if (!app.Services.GetRequiredService<IOptions<ConduitDashboardOptions>>().Value.Enabled)
        {
            return;
        }

        app.UseDashboardAccess();
        app.MapOrleansDashboard(ConduitDashboardOptions.Path);
    }
}
