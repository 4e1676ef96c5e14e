using System.ComponentModel.DataAnnotations;
using Conduit.Model;

namespace Conduit.Options;

/// <summary>The limits one tier grants each of its projects, per database type.</summary>
public sealed class TierLimits
{
    /// <summary>Connections kept open while the pool exists. Range 0–1000.</summary>
    [Range(0, 1000)]
    public int MinPoolSize { get; set; }

    /// <summary>Most connections the pool may open. Range 1–1000; at least <see cref="MinPoolSize"/>.</summary>
    [Range(1, 1000)]
    public int MaxPoolSize { get; set; }

    /// <summary>Most operations running at once per database. Range 1–100000.</summary>
    [Range(1, 100_000)]
    public int MaxConcurrent { get; set; }

    /// <summary>Operations that may wait for a permit beyond <see cref="MaxConcurrent"/>. Range 0–1000000.</summary>
    [Range(0, 1_000_000)]
    public int QueueLimit { get; set; }

    /// <summary>How long an operation may wait in the queue before <c>QUEUE_TIMEOUT</c>. Range 10 ms–10 min.</summary>
    [Range(typeof(TimeSpan), "00:00:00.010", "00:10:00")]
    public TimeSpan AcquireTimeout { get; set; }

    /// <summary>How long one operation may run before it is cancelled (also sent to PostgreSQL as the command timeout). Range 100 ms–1 h.</summary>
    [Range(typeof(TimeSpan), "00:00:00.100", "01:00:00")]
    public TimeSpan QueryTimeout { get; set; }

    /// <summary>How the tier ranks when a silo is overloaded.</summary>
    public TierPriority Priority { get; set; }

    /// <summary>Sustained requests per second per database (token bucket refill). Range 1–10000000.</summary>
    [Range(1, 10_000_000)]
    public int RequestsPerSecond { get; set; }

    /// <summary>Requests that may arrive at once above the sustained rate (token bucket size). Range 1–10000000; at least <see cref="RequestsPerSecond"/> / 10.</summary>
    [Range(1, 10_000_000)]
    public int Burst { get; set; }

    /// <summary>Most Redis subscriptions (channel and subscriber pairs) one project may hold at once. Range 0–1000000; defaults FREE 10, STARTER 50, PRO 200, ENTERPRISE 1000.</summary>
    [Range(0, 1_000_000)]
    public int MaxSubscriptions { get; set; }

    /// <summary>A copy, so options snapshots never share mutable state.</summary>
    public TierLimits Clone() => (TierLimits)MemberwiseClone();
}
