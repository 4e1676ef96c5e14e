using Conduit.MongoTestServer.Query;
using MongoDB.Bson;

namespace Conduit.MongoTestServer.Commands;

/// <content>The update command.</content>
internal static partial class WriteCommands
{
    /// <summary>Runs <c>{update: coll, updates: [{q, u, multi, upsert}], ordered}</c>.</summary>
    public static BsonDocument Update(CommandContext context)
    {
        var statements = context.Command.RequiredArray("updates");
        var ordered = context.Command.OptionalBool("ordered", defaultValue: true);
        var matched = 0;
        var modified = 0;
        var upserted = new BsonArray();
        var errors = new BsonArray();
        for (var i = 0; i < statements.Count; i++)
        {
            try
            {
                var (n, nModified, upsertedId) = UpdateOne(context, statements[i].AsBsonDocument);
                matched += n;
                modified += nModified;
                if (upsertedId is not null)
                {
                    upserted.Add(new BsonDocument { { "index", i }, { "_id", upsertedId } });
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

        var extra = new BsonDocument("nModified", modified);
        if (upserted.Count > 0)
        {
            extra.Add("upserted", upserted);
        }

        return WriteReply(matched, errors, extra);
    }

    private static (int Matched, int Modified, BsonValue? UpsertedId) UpdateOne(CommandContext context, BsonDocument statement)
    {
        var filter = statement.OptionalDocument("q") ?? throw ServerErrors.FailedToParse("BSON field 'update.updates.q' is missing but a required field");
        var update = statement.GetValue("u", BsonNull.Value);
        var multi = statement.OptionalBool("multi");
        var upsert = statement.OptionalBool("upsert");
        if (statement.Contains("arrayFilters"))
        {
            throw ServerErrors.NotImplemented("arrayFilters");
        }

        if (multi && update is BsonDocument && !UpdateApplier.IsOperatorUpdate(update))
        {
            throw ServerErrors.FailedToParse("multi update is not supported for replacement-style update");
        }

        var collection = context.FindCollection();
        var matches = collection?.Documents.Where(d => FilterMatcher.Matches(d, filter)) ?? [];
        var targets = (multi ? matches : matches.Take(1)).ToList();
        if (targets.Count == 0)
        {
            if (!upsert)
            {
                return (0, 0, null);
            }

            var inserted = Upsert(context, filter, update);
            return (1, 0, inserted["_id"]);
        }

        var modified = 0;
        foreach (var target in targets)
        {
            var updated = UpdateApplier.Apply(target, update, isInsert: false);
            if (!updated.Equals(target))
            {
                collection!.Replace(target, updated);
                modified++;
            }
        }

        return (targets.Count, modified, null);
    }

    /// <summary>Inserts the document an upsert builds from its filter and update, and returns it.</summary>
    public static BsonDocument Upsert(CommandContext context, BsonDocument filter, BsonValue update)
    {
        var document = UpsertSeed.EnsureId(UpdateApplier.Apply(UpsertSeed.FromFilter(filter), update, isInsert: true));
        context.GetOrCreateCollection(out _).Insert(document);
        return document;
    }
}
