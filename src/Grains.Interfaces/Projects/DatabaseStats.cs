using Conduit.Model;

namespace Conduit.Projects;

/// <summary>One registered database's live figures inside its owning grain.</summary>
/// <param name="Type">The database type.</param>
/// <param name="Name">The database's registered name.</param>
/// <param name="PoolOpen">Whether the pool (data source, multiplexer, client) currently exists.</param>
/// <param name="Breaker">The circuit breaker's state.</param>
/// <param name="Pool">Pool figures; zeros while the pool is closed.</param>
/// <param name="InFlight">Operations running now.</param>
/// <param name="Operations">Operations completed since the grain activated.</param>
/// <param name="Errors">Operations failed since the grain activated.</param>
[GenerateSerializer, Immutable, Alias("Conduit.DatabaseStats")]
public sealed record DatabaseStats(
    [property: Id(0)] DatabaseType Type,
    [property: Id(1)] string Name,
    [property: Id(2)] bool PoolOpen,
    [property: Id(3)] BreakerState Breaker,
    [property: Id(4)] PoolStats Pool,
    [property: Id(5)] int InFlight,
    [property: Id(6)] long Operations,
    [property: Id(7)] long Errors);
