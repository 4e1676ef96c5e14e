using Conduit.Errors;
using MongoDB.Bson;
using MongoDB.Driver;

namespace Conduit.Connectors.Mongo;

/// <summary>The write operations' arguments: documents, filters, updates, replacements and bulk writes.</summary>
internal static partial class MongoRequestParser
{
    private static readonly string[] ReturnDocumentValues = ["before", "after"];

    private static MongoRequest InsertMany(MongoRequest request, MongoArguments args, int maxDocuments)
    {
        var array = args.Array("documents", required: true)!;
        RequireCount(array, args.PathOf("documents"), maxDocuments);
        var documents = new List<BsonDocument>(array.Count);
        for (var i = 0; i < array.Count; i++)
        {
            documents.Add(array[i] as BsonDocument ?? throw new ConduitException(ErrorCodes.InvalidRequest, $"{args.PathOf("documents")}[{i}]: must be a document, not {MongoArguments.Describe(array[i])}."));
        }

        return request with { Documents = documents, Ordered = args.Boolean("ordered") ?? true };
    }

    private static MongoRequest Update(MongoRequest request, MongoArguments args) => request with
    {
        Filter = RequiredFilter(args),
        Update = ParseUpdate(args),
        Upsert = args.Boolean("upsert") ?? false,
    };

    private static MongoRequest Replace(MongoRequest request, MongoArguments args) => request with
    {
        Filter = RequiredFilter(args),
        Replacement = ParseReplacement(args),
        Upsert = args.Boolean("upsert") ?? false,
    };

    private static MongoRequest FindOneAndUpdate(MongoRequest request, MongoArguments args) => request with
    {
        Filter = RequiredFilter(args),
        Update = ParseUpdate(args),
        Sort = args.Document("sort"),
        Projection = args.Document("projection"),
        Upsert = args.Boolean("upsert") ?? false,
        ReturnAfter = args.Text("returnDocument", allowed: ReturnDocumentValues) == "after",
    };

    private static MongoRequest BulkWrite(MongoRequest request, MongoArguments args, int maxDocuments)
    {
        var array = args.Array("operations", required: true)!;
        var path = args.PathOf("operations");
        if (array.Count == 0)
        {
            throw new ConduitException(ErrorCodes.InvalidRequest, $"{path}: at least one operation is required.");
        }

        RequireCount(array, path, maxDocuments);
        var writes = new List<WriteModel<BsonDocument>>(array.Count);
        for (var i = 0; i < array.Count; i++)
        {
            if (array[i] is not BsonDocument { ElementCount: 1 } entry)
            {
                throw new ConduitException(ErrorCodes.InvalidRequest, $"{path}[{i}]: must be a document with one field naming the operation: insertOne, updateOne, updateMany, replaceOne, deleteOne or deleteMany.");
            }

            writes.Add(WriteModel(entry.GetElement(0), $"{path}[{i}]"));
        }

        return request with { Writes = writes, Ordered = args.Boolean("ordered") ?? true };
    }

    private static WriteModel<BsonDocument> WriteModel(BsonElement entry, string path)
    {
        var name = entry.Name;
        if (entry.Value is not BsonDocument document)
        {
            throw new ConduitException(ErrorCodes.InvalidRequest, $"{path}.{name}: must be a document, not {MongoArguments.Describe(entry.Value)}.");
        }

        var args = new MongoArguments(document, name, $"{path}.{name}");
        WriteModel<BsonDocument> model = name switch
        {
            "insertOne" => new InsertOneModel<BsonDocument>(args.Document("document", required: true)!),
            "updateOne" => new UpdateOneModel<BsonDocument>(RequiredFilter(args), ParseUpdate(args)) { IsUpsert = args.Boolean("upsert") ?? false },
            "updateMany" => new UpdateManyModel<BsonDocument>(RequiredFilter(args), ParseUpdate(args)) { IsUpsert = args.Boolean("upsert") ?? false },
            "replaceOne" => new ReplaceOneModel<BsonDocument>(RequiredFilter(args), ParseReplacement(args)) { IsUpsert = args.Boolean("upsert") ?? false },
            "deleteOne" => new DeleteOneModel<BsonDocument>(RequiredFilter(args)),
            "deleteMany" => new DeleteManyModel<BsonDocument>(RequiredFilter(args)),
            _ => throw new ConduitException(ErrorCodes.InvalidRequest, $"{path}: '{name}' is not a bulk write operation; use insertOne, updateOne, updateMany, replaceOne, deleteOne or deleteMany."),
        };
        args.RejectUnknown();
        return model;
    }

    /// <summary>Writes need a filter: <c>{}</c> must be said out loud to touch every document.</summary>
    private static BsonDocument RequiredFilter(MongoArguments args) => args.Document("filter", required: true)!;

    /// <summary>An update: a document of update operators, or an aggregation pipeline.</summary>
    private static UpdateDefinition<BsonDocument> ParseUpdate(MongoArguments args)
    {
        var value = args.DocumentOrArray("update", required: true)!;
        if (value is BsonArray array)
        {
            var stages = Stages(array, args.PathOf("update"), allowEmpty: false);
            return new PipelineUpdateDefinition<BsonDocument>(PipelineDefinition<BsonDocument, BsonDocument>.Create(stages));
        }

        var document = value.AsBsonDocument;
        if (document.ElementCount == 0)
        {
            throw args.Invalid("update", "must contain at least one update operator, such as {\"$set\": {…}}.");
        }

        if (document.Names.FirstOrDefault(n => !n.StartsWith('$')) is { } plain)
        {
            throw args.Invalid("update", $"'{plain}' is not an update operator; an update holds only operators such as $set and $inc (replaceOne replaces a whole document).");
        }

        return new BsonDocumentUpdateDefinition<BsonDocument>(document);
    }

    private static BsonDocument ParseReplacement(MongoArguments args)
    {
        var replacement = args.Document("replacement", required: true)!;
        if (replacement.Names.FirstOrDefault(n => n.StartsWith('$')) is { } operatorName)
        {
            throw args.Invalid("replacement", $"'{operatorName}' is an update operator; a replacement is a whole document (updateOne applies operators).");
        }

        return replacement;
    }

    private static void RequireCount(BsonArray array, string path, int maxDocuments)
    {
        if (array.Count == 0)
        {
            throw new ConduitException(ErrorCodes.InvalidRequest, $"{path}: at least one is required.");
        }

        if (array.Count > maxDocuments)
        {
            throw new ConduitException(ErrorCodes.PayloadTooLarge, $"{path}: {array.Count} items; one call may carry at most {maxDocuments} (Conduit:DataPlane:MaxRows). Split them over several calls.");
        }
    }
}
