namespace Conduit.Projects;

/// <summary>The outcome of a health probe; the names match <c>platform.databases.health_status</c>.</summary>
public enum HealthStatus
{
    /// <summary>Not probed yet.</summary>
    Unknown = 0,

    /// <summary>The probe succeeded.</summary>
    Healthy = 1,

    /// <summary>The probe succeeded but the breaker is not closed.</summary>
    Degraded = 2,

    /// <summary>The probe failed.</summary>
    Unhealthy = 3,
}
