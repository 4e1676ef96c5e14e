using Conduit.Model;

namespace Conduit.Projects;

/// <summary>A project's live figures, as its grain sees them.</summary>
/// <param name="Ref">The project reference.</param>
/// <param name="Tier">The tier in force.</param>
/// <param name="LastActivity">When the last data call finished, or null if none since activation.</param>
/// <param name="Databases">One entry per registered database.</param>
/// <param name="Silo">The silo hosting the grain, for seeing how tenants spread.</param>
[GenerateSerializer, Immutable, Alias("Conduit.ProjectStats")]
public sealed record ProjectStats(
    [property: Id(0)] string Ref,
    [property: Id(1)] Tier Tier,
    [property: Id(2)] DateTimeOffset? LastActivity,
    [property: Id(3)] IReadOnlyList<DatabaseStats> Databases,
    [property: Id(4)] string Silo);
