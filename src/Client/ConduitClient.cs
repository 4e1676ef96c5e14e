using Conduit.Model;

namespace Conduit.Client;

/// <summary>The default <see cref="IConduit"/> over an Orleans <see cref="IClusterClient"/>.</summary>
public sealed class ConduitClient : IConduit, IDisposable
{
    private readonly IClusterClient _cluster;
    private readonly RedisPipelining _redis;

    /// <summary>A client with the default options.</summary>
    public ConduitClient(IClusterClient cluster)
        : this(cluster, new ConduitClientOptions())
    {
    }

    /// <summary>A client with <paramref name="options"/> (Redis pipelining settings).</summary>
    public ConduitClient(IClusterClient cluster, ConduitClientOptions options)
    {
        ArgumentNullException.ThrowIfNull(cluster);
        ConduitClientServiceCollectionExtensions.Validate(options);
        _cluster = cluster;
        _redis = new RedisPipelining(options);
    }

    /// <summary>Commands sent inside coalesced batch calls, summed over the coalescers alive now.</summary>
    public long RedisCoalescedCommands => _redis.Coalesced;

    /// <inheritdoc />
    public ConduitProject Project(string projectRef)
    {
        if (!ProjectRefs.IsValid(projectRef))
        {
            throw new ArgumentException($"A project ref must be {ProjectRefs.Rule}.", nameof(projectRef));
        }

        return new ConduitProject(projectRef, _cluster.GetGrain<Projects.IProjectConnectionGrain>(projectRef), _cluster, _redis);
    }

    /// <inheritdoc />
    public void Dispose() => _redis.Dispose();
}
