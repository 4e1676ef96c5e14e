namespace Conduit.Model;

/// <summary>The kinds of tenant database a project can register.</summary>
public enum DatabaseType
{
    /// <summary>A PostgreSQL database, reached through Npgsql.</summary>
    PostgreSql = 0,

    /// <summary>A Redis server, reached through StackExchange.Redis.</summary>
    Redis = 1,

    /// <summary>A MongoDB deployment, reached through MongoDB.Driver.</summary>
    MongoDb = 2,
}
