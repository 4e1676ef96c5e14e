namespace Conduit.Platform;

/// <summary>
/// The cluster's one scheduled maintenance job: a reminder on the activation keyed <see cref="SingletonKey"/>
/// runs the platform store's retention (<c>cleanup_old_database_metrics</c>, <c>cleanup_old_database_logs</c>),
/// so the work happens once per period for the whole cluster, never once per tenant or per silo.
/// </summary>
public interface IPlatformMaintenanceGrain : IGrainWithStringKey
{
    /// <summary>The only key this grain is used with.</summary>
    const string SingletonKey = "singleton";

    /// <summary>Registers (or keeps) the retention reminder; every silo calls it at start, and it is idempotent.</summary>
    Task StartAsync();

    /// <summary>Runs retention now and returns what it deleted.</summary>
    Task<RetentionRun> RunRetentionAsync();

    /// <summary>The last retention run of this activation, or null before the first.</summary>
    Task<RetentionRun?> GetLastRunAsync();
}
