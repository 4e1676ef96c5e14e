namespace Conduit.Silo.Dashboard;

/// <summary>When the Orleans dashboard times grain calls (its per-call filter is on the data path while it does).</summary>
public enum DashboardProfiling
{
    /// <summary>The profiling filter is not installed: grain calls pay nothing; the dashboard shows no method timings.</summary>
    Off = 0,

    /// <summary>Profiling runs only while someone views the dashboard, and stops <see cref="ConduitDashboardOptions.ProfilingIdleTime"/> after the last view.</summary>
    OnDemand = 1,

    /// <summary>Every grain call is always timed.</summary>
    Always = 2,
}
