using System.Collections.Concurrent;
using Conduit.Model;
using Prometheus;

namespace Conduit.Silo.Metrics;

/// <summary>
/// One active project's metric state on this silo: its pools (for the gauges built at scrape time) and the
/// counter children it increments. Projects beyond the cap share the <c>_other</c> counters.
/// </summary>
internal sealed class ProjectSeries(string projectRef, bool individual)
{
    /// <summary>Database types × tiers: the slots of the per-(type, tier) children.</summary>
    public const int Slots = 3 * 4;

    public string Ref { get; } = projectRef;

    /// <summary>True when the project has series of its own; false when it is counted under <c>_other</c>.</summary>
    public bool Individual { get; } = individual;

    /// <summary>The value of the <c>project</c> label of its counters and connection gauges.</summary>
    public string Label => Individual ? Ref : ConduitMetrics.OtherProjects;

    /// <summary>Pools by (type, name); guarded by locking this object.</summary>
    public Dictionary<(DatabaseType Type, string Name), PoolState> Pools { get; } = [];

    /// <summary><c>db_queries_total</c> children by slot, created on first use.</summary>
    public Counter.Child?[] Queries { get; } = new Counter.Child?[Slots];

    /// <summary><c>db_errors_total</c> children by (slot, code), created on first use.</summary>
    public ConcurrentDictionary<(int Slot, string Code), Counter.Child> Errors { get; } = new();

    /// <summary>The slot of (type, tier), or -1 for a value this version does not know.</summary>
    public static int SlotOf(DatabaseType type, Tier tier) =>
        (uint)type < 3 && (uint)tier < 4 ? ((int)type * 4) + (int)tier : -1;
}
