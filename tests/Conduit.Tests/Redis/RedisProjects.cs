using Conduit.Tests.Infrastructure;

namespace Conduit.Tests.Redis;

/// <summary>Projects with the run's Redis registered, each with its own ref (and so its own key space).</summary>
public static class RedisProjects
{
    public static async Task<string> CreateAsync(ConduitSilo silo, string tier = "PRO", string? connectionString = null)
    {
        var projectRef = SiloApi.NewRef("r");
        await silo.CreateProjectAsync(projectRef, tier);
        await silo.AddDatabaseAsync(projectRef, "redis", connectionString ?? TestServers.Redis);
        return projectRef;
    }
}
