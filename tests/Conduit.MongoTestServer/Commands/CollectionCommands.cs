using Conduit.MongoTestServer.Query;
using Conduit.MongoTestServer.Storage;
using MongoDB.Bson;

namespace Conduit.MongoTestServer.Commands;

/// <summary>create, drop and listCollections.</summary>
internal static class CollectionCommands
{
    // Generic command fields that are not collection options.
    private static readonly HashSet<string> _genericFields = new(StringComparer.Ordinal)
    {
        "create", "lsid", "txnNumber", "autocommit", "startTransaction", "writeConcern", "readConcern",
        "apiVersion", "apiStrict", "apiDeprecationErrors", "comment", "maxTimeMS",
    };

    /// <summary>Runs <c>{create: name, ...options}</c>; fails with NamespaceExists (48) if the collection exists.</summary>
    public static BsonDocument Create(CommandContext context)
    {
        var name = context.Collection;
        if (name.Contains('$', StringComparison.Ordinal) || name.StartsWith('.') || name.EndsWith('.'))
        {
            throw ServerErrors.InvalidNamespace($"Invalid collection name: {name}");
        }

        if (context.Command.Contains("viewOn"))
        {
            throw ServerErrors.NotImplemented("views");
        }

        var database = context.Store.GetOrCreateDatabase(context.Database);
        if (database.Find(name) is not null)
        {
            throw ServerErrors.NamespaceExists(context.Namespace);
        }

        var options = new BsonDocument(context.Command.Where(e => !e.Name.StartsWith('$') && !_genericFields.Contains(e.Name)));
        database.GetOrCreate(name, out _, options);
        return [];
    }

    /// <summary>Runs <c>{drop: coll}</c>; dropping a missing collection succeeds, as on MongoDB 7.0.</summary>
    public static BsonDocument Drop(CommandContext context)
    {
        var collection = context.FindCollection();
        if (collection is null)
        {
            return [];
        }

        var reply = new BsonDocument { { "nIndexesWas", collection.Indexes.Count }, { "ns", context.Namespace } };
        context.Store.FindDatabase(context.Database)!.Drop(context.Collection);
        return reply;
    }

    /// <summary>Runs <c>{listCollections: 1, filter, nameOnly}</c>.</summary>
    public static BsonDocument ListCollections(CommandContext context)
    {
        var filter = context.Command.OptionalDocument("filter");
        var nameOnly = context.Command.OptionalBool("nameOnly");
        var batchSize = context.Command.OptionalDocument("cursor")?.OptionalNonNegative("batchSize");
        var entries = (context.Store.FindDatabase(context.Database)?.Collections ?? [])
            .Select(Describe)
            .Where(entry => FilterMatcher.Matches(entry, filter))
            .Select(entry => nameOnly ? new BsonDocument { { "name", entry["name"] }, { "type", entry["type"] } } : entry)
            .ToList();

        return CursorReply.First(context, $"{context.Database}.$cmd.listCollections", entries, batchSize, singleBatch: false);
    }

    private static BsonDocument Describe(CollectionData collection) => new()
    {
        { "name", collection.Name },
        { "type", "collection" },
        { "options", collection.Options },
        { "info", new BsonDocument { { "readOnly", false }, { "uuid", new BsonBinaryData(collection.Uuid, GuidRepresentation.Standard) } } },
        { "idIndex", collection.Indexes[0].Spec },
    };
}
