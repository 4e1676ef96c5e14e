namespace Conduit.Projects;

/// <summary>The health of all of a project's databases.</summary>
[GenerateSerializer, Immutable, Alias("Conduit.ProjectHealth")]
public sealed record ProjectHealth(
    [property: Id(0)] string Ref,
    [property: Id(1)] IReadOnlyList<DatabaseHealth> Databases)
{
    /// <summary>True when every database answered.</summary>
    public bool IsHealthy => Databases.All(d => d.Status is HealthStatus.Healthy);
}
