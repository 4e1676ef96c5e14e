using Conduit.Model;

namespace Conduit.Registry;

/// <summary>A registered project as the registry stores it.</summary>
/// <param name="Ref">The project reference (validated by <see cref="ProjectRefs"/>).</param>
/// <param name="Tier">The project's tier.</param>
/// <param name="ApiKeyHash">SHA-256 of the project's API key; the key itself is never stored.</param>
/// <param name="CreatedAt">When the project was registered.</param>
public sealed record ProjectRecord(string Ref, Tier Tier, byte[] ApiKeyHash, DateTimeOffset CreatedAt);
