using Conduit.MongoTestServer.Storage;
using MongoDB.Bson;

namespace Conduit.MongoTestServer.Commands;

/// <summary>createIndexes, listIndexes and dropIndexes. Indexes are bookkeeping, except that unique ones are enforced.</summary>
internal static class IndexCommands
{
    /// <summary>Runs <c>{createIndexes: coll, indexes: [{key, name, unique, sparse, partialFilterExpression}]}</c>.</summary>
    public static BsonDocument CreateIndexes(CommandContext context)
    {
        var specs = context.Command.RequiredArray("indexes");
        if (specs.Count == 0)
        {
            throw ServerErrors.BadValue("Must specify at least one index to create");
        }

        var definitions = specs.Select(Parse).ToList();
        var collection = context.GetOrCreateCollection(out var created);
        var before = collection.Indexes.Count;
        foreach (var definition in definitions)
        {
            if (!Exists(collection, definition))
            {
                collection.AddIndex(definition);
            }
        }

        var reply = new BsonDocument { { "numIndexesBefore", before }, { "numIndexesAfter", collection.Indexes.Count } };
        if (before == collection.Indexes.Count)
        {
            reply.Add("note", "all indexes already exist");
        }
        else
        {
            reply.Add("createdCollectionAutomatically", created);
        }

        return reply;
    }

    /// <summary>Runs <c>{listIndexes: coll}</c>; <c>_id_</c> always comes first.</summary>
    public static BsonDocument ListIndexes(CommandContext context)
    {
        var collection = context.FindCollection() ?? throw ServerErrors.NamespaceNotFound($"ns does not exist: {context.Namespace}");
        var batchSize = context.Command.OptionalDocument("cursor")?.OptionalNonNegative("batchSize");
        var specs = collection.Indexes.Select(i => i.Spec).ToList();
        return CursorReply.First(context, context.Namespace, specs, batchSize, singleBatch: false);
    }

    /// <summary>Runs <c>{dropIndexes: coll, index: name | "*" | keyPattern | [names]}</c>.</summary>
    public static BsonDocument DropIndexes(CommandContext context)
    {
        var collection = context.FindCollection() ?? throw ServerErrors.NamespaceNotFound($"ns not found {context.Namespace}");
        var before = collection.Indexes.Count;
        var selector = context.Command.GetValue("index", BsonNull.Value);
        var reply = new BsonDocument("nIndexesWas", before);
        if (selector == "*")
        {
            foreach (var index in collection.Indexes.Where(i => i.Name != "_id_").ToList())
            {
                collection.DropIndex(index);
            }

            reply.Add("msg", "non-_id indexes dropped for collection");
            return reply;
        }

        var targets = selector switch
        {
            BsonString name => [FindByName(collection, name.Value)],
            BsonArray names => names.Select(n => FindByName(collection, n.AsString)).ToList(),
            BsonDocument key => [collection.Indexes.FirstOrDefault(i => i.Key.Equals(key)) ?? throw ServerErrors.IndexNotFound($"can't find index with key: {key}")],
            _ => throw ServerErrors.TypeMismatch("BSON field 'dropIndexes.index' must be a string, an array of strings or an object"),
        };

        foreach (var index in targets)
        {
            if (index.Name == "_id_")
            {
                throw ServerErrors.InvalidOptions("cannot drop _id index");
            }
        }

        foreach (var index in targets)
        {
            collection.DropIndex(index);
        }

        return reply;
    }

    private static IndexDefinition FindByName(CollectionData collection, string name) =>
        collection.Indexes.FirstOrDefault(i => i.Name == name) ?? throw ServerErrors.IndexNotFound($"index not found with name [{name}]");

    private static IndexDefinition Parse(BsonValue value)
    {
        if (value is not BsonDocument spec || spec.GetValue("key", BsonNull.Value) is not BsonDocument { ElementCount: > 0 })
        {
            throw new CommandException(67, "CannotCreateIndex", "The 'key' field is a required property of an index specification and must be a non-empty object");
        }

        if (spec.GetValue("name", BsonNull.Value) is not BsonString { Value.Length: > 0 })
        {
            throw new CommandException(67, "CannotCreateIndex", "The 'name' field is a required property of an index specification");
        }

        return new IndexDefinition(spec);
    }

    // True when an identical index exists; throws when the request conflicts with an existing one.
    private static bool Exists(CollectionData collection, IndexDefinition requested)
    {
        var sameName = collection.Indexes.FirstOrDefault(i => i.Name == requested.Name);
        if (sameName is not null)
        {
            if (sameName.SameShape(requested) || (sameName.Name == "_id_" && sameName.Key.Equals(requested.Key)))
            {
                return true;
            }

            throw sameName.Key.Equals(requested.Key)
                ? ServerErrors.IndexOptionsConflict($"An existing index has the same name as the requested index but different options. Requested index: {requested.Spec}, existing index: {sameName.Spec}")
                : ServerErrors.IndexKeySpecsConflict($"An existing index has the same name as the requested index. When index names are not specified, they are auto generated and can cause conflicts. Please refer to our documentation. Requested index: {requested.Spec}, existing index: {sameName.Spec}");
        }

        var sameKey = collection.Indexes.FirstOrDefault(i => i.Key.Equals(requested.Key));
        if (sameKey is not null)
        {
            throw ServerErrors.IndexOptionsConflict($"Index already exists with a different name: {sameKey.Name}");
        }

        return false;
    }
}
