using Conduit.MongoTestServer.Query;
using MongoDB.Bson;

namespace Conduit.MongoTestServer.Commands;

/// <summary>
/// The findAndModify command (findOneAndUpdate / findOneAndReplace / findOneAndDelete in the driver).
/// Unlike the batch write commands, its errors (e.g. a duplicate key) fail the whole command.
/// </summary>
internal static class FindAndModifyCommand
{
    /// <summary>Runs <c>{findAndModify: coll, query, sort, update | remove, new, fields, upsert}</c>.</summary>
    public static BsonDocument Execute(CommandContext context)
    {
        var command = context.Command;
        var query = command.OptionalDocument("query") ?? [];
        var remove = command.OptionalBool("remove");
        var returnNew = command.OptionalBool("new");
        var upsert = command.OptionalBool("upsert");
        var hasUpdate = command.TryGetValue("update", out var update) && !update.IsBsonNull;
        Validate(remove, hasUpdate, returnNew, upsert);
        if (command.Contains("arrayFilters"))
        {
            throw ServerErrors.NotImplemented("arrayFilters");
        }

        var projection = Projection.Parse(command.OptionalDocument("fields"));
        var sort = SortSpecification.Parse(command.OptionalDocument("sort"));
        var collection = context.FindCollection();
        var matches = ReadCommands.Matching(context, query);
        var target = (sort?.Apply(matches) ?? matches).FirstOrDefault();

        BsonValue value = BsonNull.Value;
        var lastError = new BsonDocument("n", 0);
        if (remove)
        {
            if (target is not null)
            {
                collection!.Delete(target);
                value = Project(projection, target);
                lastError["n"] = 1;
            }
        }
        else if (target is not null)
        {
            var updated = UpdateApplier.Apply(target, update, isInsert: false);
            if (!updated.Equals(target))
            {
                collection!.Replace(target, updated);
            }

            value = Project(projection, returnNew ? updated : target);
            lastError = new BsonDocument { { "n", 1 }, { "updatedExisting", true } };
        }
        else if (upsert)
        {
            var inserted = WriteCommands.Upsert(context, query, update);
            value = returnNew ? Project(projection, inserted) : BsonNull.Value;
            lastError = new BsonDocument { { "n", 1 }, { "updatedExisting", false }, { "upserted", inserted["_id"] } };
        }
        else
        {
            lastError.Add("updatedExisting", false);
        }

        return new BsonDocument { { "lastErrorObject", lastError }, { "value", value } };
    }

    private static void Validate(bool remove, bool hasUpdate, bool returnNew, bool upsert)
    {
        if (remove && hasUpdate)
        {
            throw ServerErrors.FailedToParse("Cannot specify both an update and remove=true");
        }

        if (!remove && !hasUpdate)
        {
            throw ServerErrors.FailedToParse("Either an update or remove=true must be specified");
        }

        if (remove && upsert)
        {
            throw ServerErrors.FailedToParse("Cannot specify both upsert=true and remove=true ");
        }

        if (remove && returnNew)
        {
            throw ServerErrors.FailedToParse("Cannot specify both new=true and remove=true; 'remove' always returns the deleted document");
        }
    }

    private static BsonDocument Project(Projection? projection, BsonDocument document) =>
        projection?.Apply(document) ?? document;
}
