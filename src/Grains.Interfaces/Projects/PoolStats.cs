namespace Conduit.Projects;

/// <summary>A connection pool's figures at one moment.</summary>
/// <param name="Active">Connections lent out to running operations.</param>
/// <param name="Idle">Open connections waiting in the pool.</param>
/// <param name="Waiting">Operations queued for a concurrency permit.</param>
/// <param name="MinSize">The tier's minimum pool size.</param>
/// <param name="MaxSize">The tier's maximum pool size.</param>
[GenerateSerializer, Immutable, Alias("Conduit.PoolStats")]
public sealed record PoolStats(
    [property: Id(0)] int Active,
    [property: Id(1)] int Idle,
    [property: Id(2)] int Waiting,
    [property: Id(3)] int MinSize,
    [property: Id(4)] int MaxSize);
