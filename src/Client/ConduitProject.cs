using Conduit.Projects;

namespace Conduit.Client;

/// <summary>One tenant project: its PostgreSQL, Redis and MongoDB databases and its live figures.</summary>
/// <remarks>Every call goes to the project's single grain, which owns the pools; errors arrive as <see cref="Errors.ConduitException"/>.</remarks>
public sealed class ConduitProject
{
    private readonly IProjectConnectionGrain _grain;

    internal ConduitProject(string projectRef, IProjectConnectionGrain grain, IGrainFactory grains, RedisPipelining redis)
    {
        _grain = grain;
        Postgres = new PostgresClient(grain);
        Redis = new RedisClient(projectRef, grain, grains, redis);
        Mongo = new ConduitMongo(grain);
    }

    /// <summary>The project's PostgreSQL database.</summary>
    public PostgresClient Postgres { get; }

    /// <summary>The project's Redis database.</summary>
    public RedisClient Redis { get; }

    /// <summary>The project's MongoDB.</summary>
    public ConduitMongo Mongo { get; }

    /// <summary>Pool, breaker and operation figures.</summary>
    public Task<ProjectStats> GetStatsAsync() => _grain.GetStatsAsync();

    /// <summary>Pings each registered database.</summary>
    public Task<ProjectHealth> CheckHealthAsync() => _grain.CheckHealthAsync();
}
