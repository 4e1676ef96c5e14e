using MongoDB.Bson;

namespace Conduit.MongoTestServer.Query;

/// <summary>Builds the starting document of an upsert from the equality conditions of its filter.</summary>
internal static class UpsertSeed
{
    /// <summary>Returns a document holding every <c>field: value</c> and <c>field: {$eq: value}</c> of the filter (also inside <c>$and</c>).</summary>
    public static BsonDocument FromFilter(BsonDocument? filter)
    {
        var seed = new BsonDocument();
        if (filter is not null)
        {
            AddEqualities(seed, filter);
        }

        return seed;
    }

    /// <summary>Returns <paramref name="document"/> with an <c>_id</c> in first position, generating an ObjectId if it has none.</summary>
    public static BsonDocument EnsureId(BsonDocument document)
    {
        if (document.ElementCount > 0 && document.GetElement(0).Name == "_id")
        {
            return document;
        }

        var result = new BsonDocument("_id", document.TryGetValue("_id", out var id) ? id : ObjectId.GenerateNewId());
        result.AddRange(document.Where(e => e.Name != "_id"));
        return result;
    }

    private static void AddEqualities(BsonDocument seed, BsonDocument filter)
    {
        foreach (var element in filter)
        {
            if (element.Name == "$and" && element.Value is BsonArray branches)
            {
                foreach (var branch in branches.OfType<BsonDocument>())
                {
                    AddEqualities(seed, branch);
                }
            }
            else if (element.Name.StartsWith('$') || element.Value is BsonRegularExpression)
            {
                continue;
            }
            else if (element.Value is BsonDocument condition && FilterMatcher.IsOperatorDocument(condition))
            {
                if (condition.TryGetValue("$eq", out var equal))
                {
                    FieldPath.Set(seed, element.Name, equal);
                }
            }
            else
            {
                FieldPath.Set(seed, element.Name, element.Value);
            }
        }
    }
}
