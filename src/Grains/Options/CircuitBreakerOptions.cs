using Conduit.Model;

namespace Conduit.Options;

/// <summary>Breaker settings per database type, bound from <c>Conduit:CircuitBreaker:{PostgreSql|Redis|MongoDb}</c>.</summary>
public sealed class CircuitBreakerOptions
{
    /// <summary>The configuration section.</summary>
    public const string Section = "Conduit:CircuitBreaker";

    /// <summary>PostgreSQL settings.</summary>
    public CircuitBreakerSettings PostgreSql { get; set; } = new();

    /// <summary>Redis settings.</summary>
    public CircuitBreakerSettings Redis { get; set; } = new();

    /// <summary>MongoDB settings.</summary>
    public CircuitBreakerSettings MongoDb { get; set; } = new();

    /// <summary>The settings of <paramref name="type"/>.</summary>
    public CircuitBreakerSettings For(DatabaseType type) => type switch
    {
        DatabaseType.PostgreSql => PostgreSql,
        DatabaseType.Redis => Redis,
        DatabaseType.MongoDb => MongoDb,
        _ => throw new ArgumentOutOfRangeException(nameof(type), type, "Unknown database type."),
    };
}
