using Conduit.Errors;
using Conduit.Mongo;
using MongoDB.Bson;
using MongoDB.Bson.Serialization;

namespace Conduit.Connectors.Mongo;

/// <summary>
/// Validates a <see cref="MongoCommand"/> — names, operation, every argument — and builds the
/// <see cref="MongoRequest"/> the connector runs. Every refusal is an <c>INVALID_REQUEST</c> (or
/// <c>PAYLOAD_TOO_LARGE</c>) whose message starts with the field at fault.
/// </summary>
internal static partial class MongoRequestParser
{
    /// <summary>The largest argument document: MongoDB's own document limit, 16 MiB.</summary>
    public const int MaxArgumentBytes = 16 * 1024 * 1024;

    /// <summary>Parses <paramref name="command"/>; insertMany and bulkWrite may carry at most <paramref name="maxDocuments"/> documents.</summary>
    public static MongoRequest Parse(MongoCommand? command, int maxDocuments)
    {
        if (command is null)
        {
            throw new ConduitException(ErrorCodes.InvalidRequest, "command: a MongoDB command is required.");
        }

        var operation = command.Operation;
        if (!Enum.IsDefined(operation))
        {
            throw new ConduitException(ErrorCodes.InvalidRequest, $"operation: {(int)operation} is not a MongoDB operation Conduit serves; use one of {string.Join(", ", MongoOperationNames.All)}.");
        }

        MongoNames.ValidateDatabase(command.Database);
        if (operation.IsDatabaseLevel())
        {
            if (!string.IsNullOrEmpty(command.Collection))
            {
                throw new ConduitException(ErrorCodes.InvalidRequest, $"collection: {operation.ToWireName()} is a database-level operation and takes no collection.");
            }
        }
        else
        {
            MongoNames.ValidateCollection(command.Database, command.Collection);
        }

        var args = new MongoArguments(ReadArguments(command.Arguments), operation.ToWireName());
        var request = new MongoRequest { Operation = operation, Database = command.Database, Collection = command.Collection };
        request = operation switch
        {
            MongoOperation.Find => Find(request, args),
            MongoOperation.CountDocuments => Count(request, args),
            MongoOperation.Aggregate => Aggregate(request, args),
            MongoOperation.InsertOne => request with { Documents = [args.Document("document", required: true)!] },
            MongoOperation.InsertMany => InsertMany(request, args, maxDocuments),
            MongoOperation.UpdateOne or MongoOperation.UpdateMany => Update(request, args),
            MongoOperation.ReplaceOne => Replace(request, args),
            MongoOperation.DeleteOne or MongoOperation.DeleteMany => request with { Filter = RequiredFilter(args) },
            MongoOperation.FindOneAndUpdate => FindOneAndUpdate(request, args),
            MongoOperation.BulkWrite => BulkWrite(request, args, maxDocuments),
            MongoOperation.CreateIndex => CreateIndex(request, args),
            MongoOperation.DropIndex => DropIndex(request, args),
            MongoOperation.CreateCollection => CreateCollection(request, args),
            MongoOperation.ListCollections => request with { Filter = args.Document("filter") ?? [] },
            MongoOperation.ListIndexes or MongoOperation.DropCollection => request,
            _ => throw new ConduitException(ErrorCodes.InvalidRequest, $"operation: {operation.ToWireName()} is not served."),
        };
        args.RejectUnknown();
        return request;
    }

    private static BsonDocument ReadArguments(byte[]? bytes)
    {
        if (bytes is null || bytes.Length == 0)
        {
            return [];
        }

        if (bytes.Length > MaxArgumentBytes)
        {
            throw new ConduitException(ErrorCodes.PayloadTooLarge, $"arguments: {bytes.Length} bytes; one call's arguments may be at most {MaxArgumentBytes} bytes (MongoDB's document limit).");
        }

        try
        {
            return BsonSerializer.Deserialize<BsonDocument>(bytes);
        }
        catch (Exception e) when (e is FormatException or BsonException or EndOfStreamException or ArgumentException)
        {
            throw new ConduitException(ErrorCodes.InvalidRequest, $"arguments: not a valid BSON document ({e.GetType().Name}).");
        }
    }

    private static MongoRequest Find(MongoRequest request, MongoArguments args) => request with
    {
        Filter = args.Document("filter") ?? [],
        Sort = args.Document("sort"),
        Projection = args.Document("projection"),
        Skip = (int)(args.Integer("skip", 0, int.MaxValue) ?? 0),
        Limit = (int)(args.Integer("limit", 0, int.MaxValue) ?? 0),
    };

    private static MongoRequest Count(MongoRequest request, MongoArguments args) => request with
    {
        Filter = args.Document("filter") ?? [],
        Skip = (int)(args.Integer("skip", 0, int.MaxValue) ?? 0),
        Limit = (int)(args.Integer("limit", 0, int.MaxValue) ?? 0),
    };

    private static MongoRequest Aggregate(MongoRequest request, MongoArguments args)
    {
        var pipeline = Stages(args.Array("pipeline", required: true)!, args.PathOf("pipeline"), allowEmpty: true);
        return request with
        {
            Pipeline = pipeline,
            AllowDiskUse = args.Boolean("allowDiskUse") ?? false,
            OtherDatabases = OutputDatabases(pipeline, request.Database),
        };
    }

    /// <summary>Pipeline stages: documents with exactly one <c>$</c>-prefixed field each.</summary>
    private static List<BsonDocument> Stages(BsonArray array, string path, bool allowEmpty)
    {
        if (array.Count == 0 && !allowEmpty)
        {
            throw new ConduitException(ErrorCodes.InvalidRequest, $"{path}: a pipeline needs at least one stage.");
        }

        var stages = new List<BsonDocument>(array.Count);
        for (var i = 0; i < array.Count; i++)
        {
            if (array[i] is not BsonDocument { ElementCount: 1 } stage || !stage.GetElement(0).Name.StartsWith('$'))
            {
                throw new ConduitException(ErrorCodes.InvalidRequest, $"{path}[{i}]: a stage is a document with one $-prefixed field, such as {{\"$match\": {{…}}}}.");
            }

            stages.Add(stage);
        }

        return stages;
    }

    /// <summary>The databases <c>$out</c> and <c>$merge</c> write to when they name one other than the command's.</summary>
    private static List<string> OutputDatabases(List<BsonDocument> pipeline, string database)
    {
        var others = new List<string>();
        for (var i = 0; i < pipeline.Count; i++)
        {
            var stage = pipeline[i].GetElement(0);
            var target = stage.Name switch
            {
                "$out" => stage.Value as BsonDocument,
                "$merge" => stage.Value is BsonDocument merge ? merge.GetValue("into", BsonNull.Value) as BsonDocument : null,
                _ => null,
            };
            if (target?.GetValue("db", BsonNull.Value) is { IsString: true } db && db.AsString != database)
            {
                MongoNames.ValidateDatabase(db.AsString, $"pipeline[{i}].{stage.Name}.db");
                others.Add(db.AsString);
            }
        }

        return others;
    }
}
