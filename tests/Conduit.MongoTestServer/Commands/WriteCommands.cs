using Conduit.MongoTestServer.Query;
using MongoDB.Bson;

namespace Conduit.MongoTestServer.Commands;

/// <summary>The insert, update and delete commands with their <c>writeErrors</c> semantics.</summary>
/// <remarks>
/// A failing statement becomes a <c>writeErrors</c> entry with its index in the batch; an ordered batch
/// stops at the first one, an unordered batch carries on. The command itself still replies <c>ok: 1</c>.
/// </remarks>
internal static partial class WriteCommands
{
    /// <summary>Runs <c>{insert: coll, documents: [...], ordered}</c>.</summary>
    public static BsonDocument Insert(CommandContext context)
    {
        var documents = context.Command.RequiredArray("documents");
        var ordered = context.Command.OptionalBool("ordered", defaultValue: true);
        var collection = context.GetOrCreateCollection(out _);
        var inserted = 0;
        var errors = new BsonArray();
        for (var i = 0; i < documents.Count; i++)
        {
            try
            {
                collection.Insert(PrepareForInsert(documents[i]));
                inserted++;
            }
            catch (CommandException ex)
            {
                errors.Add(ex.ToWriteError(i));
                if (ordered)
                {
                    break;
                }
            }
        }

        return WriteReply(inserted, errors);
    }

    /// <summary>Returns the document to store: <c>_id</c> first, generated if missing.</summary>
    /// <exception cref="CommandException">The value is not a document or its <c>_id</c> is an array or regex.</exception>
    public static BsonDocument PrepareForInsert(BsonValue value)
    {
        if (value is not BsonDocument document)
        {
            throw ServerErrors.TypeMismatch($"BSON field 'insert.documents' contains a {value.BsonType}, expected 'object'");
        }

        if (document.TryGetValue("_id", out var id) && id is BsonArray or BsonRegularExpression or BsonUndefined)
        {
            throw ServerErrors.BadValue($"can't use a{(id is BsonArray ? "n array" : " " + id.BsonType.ToString().ToLowerInvariant())} for _id");
        }

        return UpsertSeed.EnsureId(document);
    }

    /// <summary>Runs <c>{delete: coll, deletes: [{q, limit}], ordered}</c>.</summary>
    public static BsonDocument Delete(CommandContext context)
    {
        var statements = context.Command.RequiredArray("deletes");
        var ordered = context.Command.OptionalBool("ordered", defaultValue: true);
        var collection = context.FindCollection();
        var deleted = 0;
        var errors = new BsonArray();
        for (var i = 0; i < statements.Count; i++)
        {
            try
            {
                var statement = statements[i].AsBsonDocument;
                var filter = statement.OptionalDocument("q") ?? throw ServerErrors.FailedToParse("BSON field 'delete.deletes.q' is missing but a required field");
                var limit = statement.OptionalLong("limit") ?? throw ServerErrors.FailedToParse("BSON field 'delete.deletes.limit' is missing but a required field");
                if (limit is not (0 or 1))
                {
                    throw ServerErrors.FailedToParse($"The limit field in delete objects must be 0 or 1. Got {limit}");
                }

                var matches = collection?.Documents.Where(d => FilterMatcher.Matches(d, filter)) ?? [];
                foreach (var match in (limit == 1 ? matches.Take(1) : matches).ToList())
                {
                    collection!.Delete(match);
                    deleted++;
                }
            }
            catch (CommandException ex)
            {
                errors.Add(ex.ToWriteError(i));
                if (ordered)
                {
                    break;
                }
            }
        }

        return WriteReply(deleted, errors);
    }

    private static BsonDocument WriteReply(int n, BsonArray errors, BsonDocument? extra = null)
    {
        var reply = new BsonDocument("n", n);
        if (extra is not null)
        {
            reply.AddRange(extra);
        }

        if (errors.Count > 0)
        {
            reply.Add("writeErrors", errors);
        }

        return reply;
    }
}
