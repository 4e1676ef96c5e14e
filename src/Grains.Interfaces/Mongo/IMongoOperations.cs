namespace Conduit.Mongo;

/// <summary>The MongoDB calls of a project's grain.</summary>
public interface IMongoOperations : IGrainWithStringKey
{
    /// <summary>Runs one operation on the project's MongoDB; errors arrive as <see cref="Errors.ConduitException"/> (duplicate key: <c>BACKEND_ERROR</c>, backend code <c>11000</c>).</summary>
    Task<MongoResult> MongoExecuteAsync(MongoCommand command);
}
