using System.ComponentModel.DataAnnotations;

namespace Conduit.Silo.Dashboard;

/// <summary>The Orleans dashboard at <c>/dashboard</c>, bound from <c>Conduit:Dashboard</c>.</summary>
public sealed class ConduitDashboardOptions
{
    /// <summary>The configuration section.</summary>
    public const string Section = "Conduit:Dashboard";

    /// <summary>The route prefix.</summary>
    public const string Path = "/dashboard";

    /// <summary>Whether the dashboard is served. Default true; false also removes its grain services and call filter.</summary>
    public bool Enabled { get; set; } = true;

    /// <summary>When grain calls are timed for the dashboard. Default <see cref="DashboardProfiling.OnDemand"/>.</summary>
    public DashboardProfiling Profiling { get; set; } = DashboardProfiling.OnDemand;

    /// <summary>With <see cref="DashboardProfiling.OnDemand"/>, how long after the last dashboard view profiling stops. Default 1 min; range 10 s–1 h.</summary>
    [Range(typeof(TimeSpan), "00:00:10", "01:00:00")]
    public TimeSpan ProfilingIdleTime { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>
    /// How often the dashboard samples its counters. Default 5 s (the dashboard's own default is 1 s, and
    /// every sample walks the silo's meters and grain directory); range 1 s–1 min.
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:01", "00:01:00")]
    public TimeSpan CounterUpdateInterval { get; set; } = TimeSpan.FromSeconds(5);
}
