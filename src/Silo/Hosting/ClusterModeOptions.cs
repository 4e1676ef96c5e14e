using System.ComponentModel.DataAnnotations;

namespace Conduit.Silo.Hosting;

/// <summary>
/// Settings of cluster mode (<c>DATABASE_URL</c> set), bound from <c>Conduit:Cluster</c>. Orleans' own
/// membership and rebalancer options can be overridden under <c>Conduit:Cluster:Membership</c> and
/// <c>Conduit:Cluster:Rebalancer</c> (property names as in Orleans); their tuned defaults are in
/// <see cref="ClusterDefaults"/> and explained in docs/OPERATIONS.md.
/// </summary>
public sealed class ClusterModeOptions
{
    /// <summary>The configuration section.</summary>
    public const string Section = "Conduit:Cluster";

    /// <summary>
    /// Connections the Orleans providers (membership, reminders, grain state) may hold to the platform
    /// database, per silo, in a pool of their own so tenant-driven registry traffic cannot starve the
    /// heartbeat. Default 8; range 2–100.
    /// </summary>
    [Range(2, 100)]
    public int OrleansPoolSize { get; set; } = ClusterDefaults.OrleansPoolSize;

    /// <summary>
    /// The IP address this silo advertises to the other silos and to clients (<c>CONDUIT_SILO_ADDRESS</c>
    /// overrides it). Default 127.0.0.1, which only forms a cluster of silos on one host; set the host's
    /// address when silos run on several hosts (the silo then listens on every interface).
    /// </summary>
    public string AdvertisedAddress { get; set; } = "127.0.0.1";

    /// <summary>Whether the activation rebalancer moves tenant grains to a silo that joins. Default true.</summary>
    public bool Rebalance { get; set; } = true;
}
