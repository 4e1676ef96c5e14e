using Conduit.Mongo;
using Conduit.Postgres;
using Conduit.Redis;

namespace Conduit.Projects;

/// <summary>
/// The one owner, in the whole cluster, of a tenant project's connection pools, circuit breakers,
/// tier limits and idle cleanup. Keyed by the project reference.
/// </summary>
/// <remarks>
/// Data calls interleave: the tier's concurrency limiter, not grain turns, bounds how many run at once.
/// The data calls live in one interface per database type (<see cref="IPostgresOperations"/>,
/// <see cref="IRedisOperations"/>…) so each type's contract can be read on its own.
/// </remarks>
public interface IProjectConnectionGrain : IPostgresOperations, IRedisOperations, IMongoOperations
{
    /// <summary>Live pool, breaker and operation figures.</summary>
    Task<ProjectStats> GetStatsAsync();

    /// <summary>Pings every registered database (opening pools as needed) and reports each outcome.</summary>
    Task<ProjectHealth> CheckHealthAsync();

    /// <summary>Closes every pool now; they reopen on the next data call.</summary>
    Task CloseConnectionsAsync();

    /// <summary>Holds a database's breaker open (calls get <c>CIRCUIT_OPEN</c> without touching the network) until reset.</summary>
    /// <remarks>Held for the life of the activation: a project idle past its timeout starts closed again.</remarks>
    Task<BreakerState> IsolateBreakerAsync(Model.DatabaseType type, string? database = null);

    /// <summary>Closes a database's breaker and forgets the failures it counted.</summary>
    Task<BreakerState> ResetBreakerAsync(Model.DatabaseType type, string? database = null);

    /// <summary>Re-reads the project's registration (tier, databases) after it changed, without dropping calls in flight.</summary>
    Task ReloadAsync();
}
