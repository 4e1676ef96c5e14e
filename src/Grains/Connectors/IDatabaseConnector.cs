using Conduit.Projects;

namespace Conduit.Connectors;

/// <summary>
/// A driver's pool for one registered database (an <c>NpgsqlDataSource</c>, a
/// <c>ConnectionMultiplexer</c>…). Built lazily on first use by the owning grain.
/// </summary>
/// <remarks>Disposed when idle, on tier change (after its calls drain) and when the grain deactivates.</remarks>
public interface IDatabaseConnector : IAsyncDisposable
{
    /// <summary>Active and idle connections now; <paramref name="waiting"/> comes from the concurrency gate.</summary>
    PoolStats GetPoolStats(int waiting);

    /// <summary>A round trip to the server; throws a translated <see cref="Errors.ConduitException"/> on failure.</summary>
    Task PingAsync(CancellationToken cancellationToken);

    /// <summary>Drops pooled connections so none that died with the server is handed out again.</summary>
    void ClearPool();
}
