using Conduit.MongoTestServer.Commands;
using Conduit.MongoTestServer.Query;
using MongoDB.Bson;

namespace Conduit.MongoTestServer.Aggregation;

/// <summary>The <c>$group</c> stage: buckets documents by an <c>_id</c> expression and runs accumulators per bucket.</summary>
internal static class GroupStage
{
    /// <summary>Groups <paramref name="input"/> by <paramref name="spec"/>; groups come out in first-seen order.</summary>
    public static List<BsonDocument> Execute(List<BsonDocument> input, BsonDocument spec)
    {
        if (!spec.TryGetValue("_id", out var idExpression))
        {
            throw new CommandException(15955, "Location15955", "a group specification must include an _id");
        }

        var fields = new List<(string Name, string Operator, BsonValue Expression)>();
        foreach (var element in spec)
        {
            if (element.Name == "_id")
            {
                continue;
            }

            if (element.Value is not BsonDocument { ElementCount: 1 } accumulator)
            {
                throw new CommandException(40234, "Location40234", $"The field '{element.Name}' must be an accumulator object");
            }

            fields.Add((element.Name, accumulator.GetElement(0).Name, accumulator.GetElement(0).Value));
        }

        var groups = new Dictionary<BsonValue, Accumulator[]>(BsonValueEqualityComparer.Instance);
        var order = new List<BsonValue>();
        foreach (var document in input)
        {
            var key = ExpressionEvaluator.Evaluate(idExpression, document) ?? BsonNull.Value;
            if (!groups.TryGetValue(key, out var accumulators))
            {
                accumulators = fields.Select(f => new Accumulator(f.Operator, f.Expression)).ToArray();
                groups[key] = accumulators;
                order.Add(key);
            }

            foreach (var accumulator in accumulators)
            {
                accumulator.Accept(document);
            }
        }

        return order.Select(key =>
        {
            var result = new BsonDocument("_id", key);
            var accumulators = groups[key];
            for (var i = 0; i < fields.Count; i++)
            {
                result.Add(fields[i].Name, accumulators[i].Result());
            }

            return result;
        }).ToList();
    }
}
