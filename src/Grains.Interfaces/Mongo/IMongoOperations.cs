namespace Conduit.Mongo;

/// <summary>The MongoDB calls of a project's grain.</summary>
public interface IMongoOperations : IGrainWithStringKey
{
    /// <summary>Runs one operation on the project's MongoDB; errors arrive as <see cref="Errors.ConduitException"/> (duplicate key: <c>BACKEND_ERROR</c>, backend code <c>11000</c>).</summary>
    /// <param name="command">The database, collection, operation and its arguments.</param>
    /// <param name="cancellationToken">
    /// Cancels the call: the caller stops waiting at once, a call still queued never runs, and the
    /// driver abandons an operation already sent. Never counted by the circuit breaker.
    /// </param>
    Task<MongoResult> MongoExecuteAsync(MongoCommand command, CancellationToken cancellationToken = default);
}
