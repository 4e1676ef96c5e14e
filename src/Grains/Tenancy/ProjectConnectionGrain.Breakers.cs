using Conduit.Model;
using Conduit.Projects;

namespace Conduit.Tenancy;

/// <summary>Administrative control of the project's circuit breakers.</summary>
public sealed partial class ProjectConnectionGrain
{
    /// <inheritdoc />
    public async Task<BreakerState> IsolateBreakerAsync(DatabaseType type, string? database = null)
    {
        var slot = RequireSlot(type, database);
        await slot.Breaker.IsolateAsync();
        return slot.Breaker.State;
    }

    /// <inheritdoc />
    public async Task<BreakerState> ResetBreakerAsync(DatabaseType type, string? database = null)
    {
        var slot = RequireSlot(type, database);
        await slot.Breaker.ResetAsync();
        return slot.Breaker.State;
    }
}
