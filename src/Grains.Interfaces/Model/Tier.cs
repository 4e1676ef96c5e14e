namespace Conduit.Model;

/// <summary>A project's service tier; it sets pool sizes, concurrency, timeouts and priority.</summary>
public enum Tier
{
    /// <summary>FREE: pool 2/5, 20 concurrent operations, 10 s query timeout, low priority.</summary>
    Free = 0,

    /// <summary>STARTER: pool 5/10, 50 concurrent operations, 30 s query timeout, medium priority.</summary>
    Starter = 1,

    /// <summary>PRO: pool 10/50, 200 concurrent operations, 60 s query timeout, high priority.</summary>
    Pro = 2,

    /// <summary>ENTERPRISE: pool 20/100, 500 concurrent operations, 120 s query timeout, critical priority.</summary>
    Enterprise = 3,
}
