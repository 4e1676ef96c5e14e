using Conduit.MongoTestServer.Commands;
using Conduit.MongoTestServer.Query;
using MongoDB.Bson;

namespace Conduit.MongoTestServer.Aggregation;

/// <summary>The <c>$unwind</c> stage: one output document per element of an array field.</summary>
internal static class UnwindStage
{
    /// <summary>Unwinds <paramref name="input"/> by <paramref name="spec"/> (<c>"$path"</c> or <c>{path, includeArrayIndex, preserveNullAndEmptyArrays}</c>).</summary>
    public static List<BsonDocument> Execute(List<BsonDocument> input, BsonValue spec)
    {
        var (pathValue, indexField, preserve) = spec switch
        {
            BsonString s => (s.Value, null, false),
            BsonDocument d => (d.GetValue("path", BsonNull.Value).IsString ? d["path"].AsString : string.Empty,
                d.GetValue("includeArrayIndex", BsonNull.Value) is BsonString i ? i.Value : null,
                d.GetValue("preserveNullAndEmptyArrays", false).ToBoolean()),
            _ => (string.Empty, null, false),
        };

        if (!pathValue.StartsWith('$') || pathValue.Length < 2)
        {
            throw new CommandException(28818, "Location28818", "path option to $unwind stage should be prefixed with a '$'");
        }

        var path = pathValue[1..];
        var output = new List<BsonDocument>();
        foreach (var document in input)
        {
            var found = FieldPath.TryGet(document, path, out var value);
            if (value is BsonArray { Count: > 0 } array)
            {
                for (var i = 0; i < array.Count; i++)
                {
                    output.Add(With(document, path, array[i], indexField, new BsonInt64(i)));
                }
            }
            else if (found && value is not (BsonArray or BsonNull))
            {
                output.Add(With(document, path, value, indexField, BsonNull.Value));
            }
            else if (preserve)
            {
                output.Add(indexField is null ? document : With(document, path, null, indexField, BsonNull.Value));
            }
        }

        return output;
    }

    private static BsonDocument With(BsonDocument document, string path, BsonValue? value, string? indexField, BsonValue index)
    {
        var copy = document.DeepClone().AsBsonDocument;
        if (value is not null)
        {
            FieldPath.Set(copy, path, value);
        }

        if (indexField is not null)
        {
            FieldPath.Set(copy, indexField, index);
        }

        return copy;
    }
}
