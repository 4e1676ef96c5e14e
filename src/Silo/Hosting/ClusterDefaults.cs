using Orleans.Configuration;

namespace Conduit.Silo.Hosting;

/// <summary>
/// The Orleans settings cluster mode starts from, chosen and measured for Conduit (docs/OPERATIONS.md
/// explains each, docs/BENCHMARKS.md has the measurements). Configuration under
/// <c>Conduit:Cluster:Membership</c> and <c>Conduit:Cluster:Rebalancer</c> overrides them.
/// </summary>
public static class ClusterDefaults
{
    /// <summary>The Orleans providers' connection pool per silo.</summary>
    public const int OrleansPoolSize = 8;

    /// <summary>
    /// Failure detection tuned so a killed silo is declared dead in about 2 s and a hung one in about
    /// 7 s, instead of Orleans' ~6 s and ~60 s.
    /// </summary>
    /// <remarks>
    /// A probe every second with a 1–2 s timeout, two missed probes to suspect, and a vote that expires
    /// only after 30 s. The connection liveness check is off: it counts any recent message on the
    /// connection as life, and a stopped process keeps its sockets open, so with it on a hung silo
    /// stays "alive" for as long as messages it had queued keep arriving. Heartbeats to the table every
    /// 5 s (they only matter for finding stale entries) and a table refresh every 5 s, so a silo that
    /// missed the gossip still learns of a death quickly. Dead entries are removed after a day.
    /// </remarks>
    public static void Membership(ClusterMembershipOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.ProbeTimeout = TimeSpan.FromSeconds(1);
        options.MaxProbeTimeout = TimeSpan.FromSeconds(2);
        options.NumMissedProbesLimit = 2;
        options.EnableConnectionLivenessCheck = false;
        options.DeathVoteExpirationTimeout = TimeSpan.FromSeconds(30);
        options.IAmAliveTablePublishTimeout = TimeSpan.FromSeconds(5);
        options.TableRefreshTimeout = TimeSpan.FromSeconds(5);
        options.DefunctSiloExpiration = TimeSpan.FromDays(1);
    }

    /// <summary>
    /// The activation rebalancer tuned so a silo that joins receives its share of tenants within about a
    /// minute rather than Orleans' several minutes.
    /// </summary>
    /// <remarks>
    /// First session 5 s after the rebalancer starts, a cycle every 3 s (Orleans requires more than twice
    /// the 1 s load-publishing period). The cycle weight at its maximum and the silo weight at 0 make each
    /// cycle move most of the imbalance instead of ramping up over ~10 cycles. At most 100 activations
    /// move per silo pair and cycle: each moved tenant closes its pools and opens new ones on the target,
    /// so this bounds the reconnect burst tenant databases see.
    /// </remarks>
    public static void Rebalancer(ActivationRebalancerOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.RebalancerDueTime = TimeSpan.FromSeconds(5);
        options.SessionCyclePeriod = TimeSpan.FromSeconds(3);
        options.CycleNumberWeight = 1.0;
        options.SiloNumberWeight = 0.0;
        options.ActivationMigrationCountLimit = 100;
    }
}
