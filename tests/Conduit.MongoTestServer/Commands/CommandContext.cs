using Conduit.MongoTestServer.Storage;
using MongoDB.Bson;

namespace Conduit.MongoTestServer.Commands;

/// <summary>One command being executed: its body, its database and the store it runs against.</summary>
internal sealed class CommandContext
{
    /// <summary>Gets the database named by <c>$db</c>.</summary>
    public required string Database { get; init; }

    /// <summary>Gets the command body; its first field names the command.</summary>
    public required BsonDocument Command { get; init; }

    /// <summary>Gets the id of the connection the command arrived on.</summary>
    public required int ConnectionId { get; init; }

    /// <summary>Gets the data store; the dispatcher holds its lock while the command runs.</summary>
    public required MemoryStore Store { get; init; }

    /// <summary>Gets the collection the command targets (its first field's value).</summary>
    public string Collection => Command.CollectionName();

    /// <summary>Gets <c>database.collection</c>.</summary>
    public string Namespace => $"{Database}.{Collection}";

    /// <summary>Returns the target collection, or <see langword="null"/> if it does not exist.</summary>
    public CollectionData? FindCollection() => Store.FindCollection(Database, Collection);

    /// <summary>Returns the target collection, creating it if needed, as writes do.</summary>
    public CollectionData GetOrCreateCollection(out bool created) =>
        Store.GetOrCreateDatabase(Database).GetOrCreate(Collection, out created);
}
