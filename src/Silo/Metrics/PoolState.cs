using Conduit.Model;
using Conduit.Projects;

namespace Conduit.Silo.Metrics;

/// <summary>The last known figures of one project database's pool and breaker, as the grain reported them.</summary>
internal sealed class PoolState(Tier tier)
{
    public Tier Tier { get; set; } = tier;

    public bool Open { get; set; }

    public int Active { get; set; }

    public int Idle { get; set; }

    public int Waiting { get; set; }

    public int MaxSize { get; set; }

    public BreakerState Breaker { get; set; } = BreakerState.Closed;
}
