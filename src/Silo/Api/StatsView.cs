using Conduit.Model;
using Conduit.Projects;

namespace Conduit.Silo.Api;

/// <summary>The JSON shape of a project's live figures.</summary>
public static class StatsView
{
    /// <summary>Projects <paramref name="stats"/> into wire names.</summary>
    public static object From(ProjectStats stats)
    {
        ArgumentNullException.ThrowIfNull(stats);
        return new
        {
            @ref = stats.Ref,
            tier = stats.Tier.ToWireName(),
            silo = stats.Silo,
            lastActivity = stats.LastActivity,
            databases = stats.Databases.Select(d => new
            {
                type = d.Type.ToWireName(),
                name = d.Name,
                poolOpen = d.PoolOpen,
                breaker = BreakerName(d.Breaker),
                pool = new { active = d.Pool.Active, idle = d.Pool.Idle, waiting = d.Pool.Waiting, min = d.Pool.MinSize, max = d.Pool.MaxSize },
                inFlight = d.InFlight,
                operations = d.Operations,
                errors = d.Errors,
            }),
        };
    }

    /// <summary>The wire name of a breaker state: closed, open, half-open, isolated.</summary>
    public static string BreakerName(BreakerState state) => state switch
    {
        BreakerState.Closed => "closed",
        BreakerState.Open => "open",
        BreakerState.HalfOpen => "half-open",
        BreakerState.Isolated => "isolated",
        _ => "unknown",
    };
}
