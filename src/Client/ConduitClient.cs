using Conduit.Model;

namespace Conduit.Client;

/// <summary>The default <see cref="IConduit"/> over an Orleans <see cref="IClusterClient"/>.</summary>
public sealed class ConduitClient(IClusterClient cluster) : IConduit
{
    /// <inheritdoc />
    public ConduitProject Project(string projectRef)
    {
        if (!ProjectRefs.IsValid(projectRef))
        {
            throw new ArgumentException($"A project ref must be {ProjectRefs.Rule}.", nameof(projectRef));
        }

        return new ConduitProject(cluster.GetGrain<Projects.IProjectConnectionGrain>(projectRef), cluster);
    }
}
