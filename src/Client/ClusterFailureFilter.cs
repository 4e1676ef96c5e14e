using Conduit.Errors;
using Conduit.Projects;

namespace Conduit.Client;

/// <summary>
/// Gives a frontend the same answer the REST API gives when the silo serving a project fails mid-call: a
/// <see cref="ConduitException"/> with <c>CLUSTER_UNAVAILABLE</c> and a retry hint, instead of Orleans' own
/// exception types (the original stays as the inner exception).
/// </summary>
internal sealed class ClusterFailureFilter : IOutgoingGrainCallFilter
{
    public async Task Invoke(IOutgoingGrainCallContext context)
    {
        try
        {
            await context.Invoke().ConfigureAwait(false);
        }
        catch (Exception e) when (context.Grain is IProjectConnectionGrain && ClusterFailures.IsClusterFailure(e))
        {
            throw ClusterFailures.ToConduitException(e);
        }
    }
}
