using Conduit.Model;

namespace Conduit.Projects;

/// <summary>The result of pinging one registered database.</summary>
/// <param name="Type">The database type.</param>
/// <param name="Name">The database's registered name.</param>
/// <param name="Status">The outcome.</param>
/// <param name="ResponseTimeMs">The ping's round trip in milliseconds, or null when it failed.</param>
/// <param name="ErrorCode">The error code when it failed (no secrets).</param>
/// <param name="Message">A short, secret-free description of the failure.</param>
[GenerateSerializer, Immutable, Alias("Conduit.DatabaseHealth")]
public sealed record DatabaseHealth(
    [property: Id(0)] DatabaseType Type,
    [property: Id(1)] string Name,
    [property: Id(2)] HealthStatus Status,
    [property: Id(3)] double? ResponseTimeMs,
    [property: Id(4)] string? ErrorCode,
    [property: Id(5)] string? Message);
