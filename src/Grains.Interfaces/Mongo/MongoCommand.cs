namespace Conduit.Mongo;

/// <summary>One MongoDB operation for a project's MongoDB, e.g. <c>find</c> on <c>app.users</c> with <c>{filter: {age: {$gt: 30}}}</c>.</summary>
/// <param name="Database">The MongoDB database: MongoDB's naming rules, and only a database the registration allows (see the README).</param>
/// <param name="Collection">The collection; null for database-level operations (<see cref="MongoOperation.ListCollections"/>).</param>
/// <param name="Operation">What to run.</param>
/// <param name="Arguments">
/// The operation's arguments as one raw BSON document (see <see cref="MongoOperation"/> for each operation's fields);
/// null or empty for none. Raw bytes because Orleans cannot serialize the driver's <c>BsonDocument</c>.
/// </param>
/// <param name="Registration">The registered MongoDB's name (<c>POST …/databases</c> <c>name</c>), or null for the project's default one.</param>
[GenerateSerializer, Immutable, Alias("Conduit.MongoCommand")]
public sealed record MongoCommand(
    [property: Id(0)] string Database,
    [property: Id(1)] string? Collection,
    [property: Id(2)] MongoOperation Operation,
    [property: Id(3)] byte[]? Arguments = null,
    [property: Id(4)] string? Registration = null);
