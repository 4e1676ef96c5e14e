using MongoDB.Bson;

namespace Conduit.MongoTestServer.Commands;

/// <summary>The getMore and killCursors commands.</summary>
internal static class CursorCommands
{
    /// <summary>Runs <c>{getMore: id, collection, batchSize}</c>; the cursor closes (id 0) once exhausted.</summary>
    public static BsonDocument GetMore(CommandContext context)
    {
        var command = context.Command;
        var id = command[0].IsNumeric ? command[0].ToInt64() : throw ServerErrors.TypeMismatch("getMore's first field must be a cursor id");
        var collection = command.GetValue("collection", BsonNull.Value) as BsonString
            ?? throw ServerErrors.FailedToParse("BSON field 'getMore.collection' is missing but a required field");
        var ns = $"{context.Database}.{collection.Value}";
        var cursor = context.Store.FindCursor(id) ?? throw ServerErrors.CursorNotFound(id);
        if (cursor.Namespace != ns)
        {
            throw ServerErrors.Unauthorized($"Requested getMore on namespace '{ns}', but cursor belongs to a different namespace {cursor.Namespace}");
        }

        var batch = CursorReply.TakeBatch(cursor.Remaining, command.OptionalNonNegative("batchSize") ?? 0);
        if (cursor.Remaining.Count == 0)
        {
            context.Store.CloseCursor(id);
            id = 0;
        }

        return CursorReply.Build("nextBatch", batch, id, ns);
    }

    /// <summary>Runs <c>{killCursors: coll, cursors: [ids]}</c>.</summary>
    public static BsonDocument KillCursors(CommandContext context)
    {
        var killed = new BsonArray();
        var notFound = new BsonArray();
        foreach (var id in context.Command.RequiredArray("cursors"))
        {
            (context.Store.CloseCursor(id.ToInt64()) ? killed : notFound).Add(id);
        }

        return new BsonDocument
        {
            { "cursorsKilled", killed },
            { "cursorsNotFound", notFound },
            { "cursorsAlive", new BsonArray() },
            { "cursorsUnknown", new BsonArray() },
        };
    }
}
