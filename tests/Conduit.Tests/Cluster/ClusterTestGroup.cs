namespace Conduit.Tests.Cluster;

/// <summary>
/// The multi-process cluster tests run alone, after the parallel tests: failure detection works on
/// one-second probes, and silos starved of the two cores by other tests would be suspected for real.
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class ClusterTestGroup
{
    public const string Name = "Cluster";
}
