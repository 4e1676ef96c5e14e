using Conduit.MongoTestServer.Aggregation;
using Conduit.MongoTestServer.Query;
using MongoDB.Bson;

namespace Conduit.MongoTestServer.Commands;

/// <summary>The find, count, distinct and aggregate commands.</summary>
internal static class ReadCommands
{
    /// <summary>Runs <c>{find: coll, filter, sort, projection, skip, limit, batchSize, singleBatch}</c>.</summary>
    public static BsonDocument Find(CommandContext context)
    {
        var command = context.Command;
        if (command.OptionalBool("tailable") || command.OptionalBool("awaitData"))
        {
            throw ServerErrors.NotImplemented("tailable cursors");
        }

        var filter = command.OptionalDocument("filter");
        var sort = SortSpecification.Parse(command.OptionalDocument("sort"));
        var projection = Projection.Parse(command.OptionalDocument("projection"));
        var skip = command.OptionalNonNegative("skip") ?? 0;
        var limit = command.OptionalLong("limit") ?? 0;
        var batchSize = command.OptionalNonNegative("batchSize");
        var singleBatch = command.OptionalBool("singleBatch") || limit < 0;

        var results = Matching(context, filter);
        var ordered = sort?.Apply(results) ?? results;
        IEnumerable<BsonDocument> window = ordered.Skip((int)Math.Min(int.MaxValue, skip));
        if (limit != 0)
        {
            window = window.Take((int)Math.Min(int.MaxValue, Math.Abs(limit)));
        }

        var output = projection is null ? window.ToList() : window.Select(projection.Apply).ToList();
        return CursorReply.First(context, context.Namespace, output, batchSize, singleBatch);
    }

    /// <summary>Runs <c>{count: coll, query, skip, limit}</c>; the driver uses it for estimatedDocumentCount.</summary>
    public static BsonDocument Count(CommandContext context)
    {
        var command = context.Command;
        var skip = command.OptionalNonNegative("skip") ?? 0;
        var limit = Math.Abs(command.OptionalLong("limit") ?? 0);
        long count = Math.Max(0, Matching(context, command.OptionalDocument("query")).Count - skip);
        if (limit != 0)
        {
            count = Math.Min(count, limit);
        }

        return new BsonDocument("n", (int)count);
    }

    /// <summary>Runs <c>{distinct: coll, key, query}</c>; array values contribute their elements.</summary>
    public static BsonDocument Distinct(CommandContext context)
    {
        var key = context.Command.GetValue("key", BsonNull.Value) as BsonString
            ?? throw ServerErrors.FailedToParse("BSON field 'distinct.key' is missing but a required field");
        var values = new List<BsonValue>();
        var seen = new HashSet<BsonValue>(BsonValueEqualityComparer.Instance);
        foreach (var document in Matching(context, context.Command.OptionalDocument("query")))
        {
            foreach (var value in FieldPath.Collect(document, key.Value))
            {
                foreach (var item in value is BsonArray array ? array : (IEnumerable<BsonValue>)[value])
                {
                    if (seen.Add(item))
                    {
                        values.Add(item);
                    }
                }
            }
        }

        return new BsonDocument("values", new BsonArray(values.OrderBy(v => v, BsonValueComparer.Instance)));
    }

    /// <summary>Runs <c>{aggregate: coll, pipeline, cursor: {batchSize}}</c>.</summary>
    public static BsonDocument Aggregate(CommandContext context)
    {
        var command = context.Command;
        if (!command[0].IsString)
        {
            throw ServerErrors.NotImplemented("database-level aggregate ({aggregate: 1})");
        }

        var pipeline = command.RequiredArray("pipeline");
        var cursor = command.OptionalDocument("cursor")
            ?? throw ServerErrors.FailedToParse("The 'cursor' option is required, except for aggregate with the explain argument");
        var batchSize = cursor.OptionalNonNegative("batchSize");
        var results = Pipeline.Execute(context.FindCollection()?.Documents ?? [], pipeline);
        return CursorReply.First(context, context.Namespace, results, batchSize, singleBatch: false);
    }

    /// <summary>Returns the target collection's documents that match <paramref name="filter"/>, in natural order.</summary>
    public static List<BsonDocument> Matching(CommandContext context, BsonDocument? filter) =>
        context.FindCollection()?.Documents.Where(d => FilterMatcher.Matches(d, filter)).ToList() ?? [];
}
