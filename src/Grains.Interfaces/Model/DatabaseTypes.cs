namespace Conduit.Model;

/// <summary>The wire names of <see cref="DatabaseType"/> used by the REST API, the registry and metric labels.</summary>
public static class DatabaseTypes
{
    /// <summary>Every database type, in declaration order.</summary>
    public static IReadOnlyList<DatabaseType> All { get; } = [DatabaseType.PostgreSql, DatabaseType.Redis, DatabaseType.MongoDb];

    /// <summary>The lower-case wire name: <c>postgresql</c>, <c>redis</c> or <c>mongodb</c>.</summary>
    public static string ToWireName(this DatabaseType type) => type switch
    {
        DatabaseType.PostgreSql => "postgresql",
        DatabaseType.Redis => "redis",
        DatabaseType.MongoDb => "mongodb",
        _ => throw new ArgumentOutOfRangeException(nameof(type), type, "Unknown database type."),
    };

    /// <summary>Parses a wire name (case-insensitive); returns false for anything else.</summary>
    public static bool TryParse(string? value, out DatabaseType type)
    {
        switch (value?.Trim().ToLowerInvariant())
        {
            case "postgresql" or "postgres":
                type = DatabaseType.PostgreSql;
                return true;
            case "redis":
                type = DatabaseType.Redis;
                return true;
            case "mongodb" or "mongo":
                type = DatabaseType.MongoDb;
                return true;
            default:
                type = default;
                return false;
        }
    }
}
