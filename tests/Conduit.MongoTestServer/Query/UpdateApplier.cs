using Conduit.MongoTestServer.Aggregation;
using Conduit.MongoTestServer.Commands;
using MongoDB.Bson;

namespace Conduit.MongoTestServer.Query;

/// <summary>
/// Applies an update to a document: operator updates (<c>$set</c>, <c>$inc</c>…), replacement documents,
/// or pipeline updates. The original document is never modified; a new one is returned.
/// </summary>
internal static partial class UpdateApplier
{
    /// <summary>Tells whether <paramref name="update"/> is an operator update rather than a replacement.</summary>
    public static bool IsOperatorUpdate(BsonValue update) =>
        update is BsonDocument { ElementCount: > 0 } document && document.GetElement(0).Name.StartsWith('$');

    /// <summary>Returns the updated copy of <paramref name="original"/>.</summary>
    /// <param name="original">The stored document, or the seed built from the filter for an upsert.</param>
    /// <param name="update">An operator document, a replacement document or a pipeline (array).</param>
    /// <param name="isInsert">Whether this is the insert of an upsert (<c>$setOnInsert</c> applies, <c>_id</c> may be set).</param>
    /// <exception cref="CommandException">The update is malformed or would change <c>_id</c>.</exception>
    public static BsonDocument Apply(BsonDocument original, BsonValue update, bool isInsert)
    {
        BsonDocument result = update switch
        {
            BsonArray pipeline => Pipeline.Execute([original], pipeline) is [var single] ? single : throw ServerErrors.BadValue("an update pipeline must produce exactly one document"),
            BsonDocument operators when IsOperatorUpdate(operators) => ApplyOperators(original.DeepClone().AsBsonDocument, operators, isInsert),
            BsonDocument replacement => Replace(original, replacement),
            _ => throw ServerErrors.FailedToParse("Update argument must be either an object or an array"),
        };

        return KeepId(original, result, isInsert);
    }

    private static BsonDocument Replace(BsonDocument original, BsonDocument replacement)
    {
        var result = new BsonDocument();
        if (original.TryGetValue("_id", out var id) && !replacement.Contains("_id"))
        {
            result.Add("_id", id);
        }

        foreach (var element in replacement)
        {
            if (element.Name.StartsWith('$'))
            {
                throw new CommandException(52, "DollarPrefixedFieldName", $"The dollar ($) prefixed field '{element.Name}' in '{element.Name}' is not allowed in the context of an update's replacement document. Consider using an aggregation pipeline with $replaceWith.");
            }

            result.Add(element);
        }

        return result;
    }

    private static BsonDocument KeepId(BsonDocument original, BsonDocument result, bool isInsert)
    {
        var hadId = original.TryGetValue("_id", out var before);
        var hasId = result.TryGetValue("_id", out var after);
        if (!isInsert && hadId && (!hasId || !BsonValueComparer.AreEqual(before, after)))
        {
            throw ServerErrors.ImmutableField("Performing an update on the path '_id' would modify the immutable field '_id'");
        }

        if (hasId && result.GetElement(0).Name != "_id")
        {
            result.Remove("_id");
            result.InsertAt(0, new BsonElement("_id", after));
        }

        return result;
    }

    private static BsonDocument ApplyOperators(BsonDocument target, BsonDocument update, bool isInsert)
    {
        foreach (var op in update)
        {
            if (!op.Name.StartsWith('$'))
            {
                throw ServerErrors.FailedToParse($"Unknown modifier: {op.Name}. Expected a valid update modifier or pipeline-style update specified as an array");
            }

            if (op.Value is not BsonDocument fields)
            {
                throw ServerErrors.FailedToParse($"Modifiers operate on fields but we found type {op.Value.BsonType} instead. For example: {{$mod: {{<field>: ...}}}} not {{{op.Name}: {op.Value}}}");
            }

            foreach (var field in fields)
            {
                ApplyOperator(target, op.Name, field.Name, field.Value, isInsert);
            }
        }

        return target;
    }

    private static string IdOf(BsonDocument document) =>
        document.TryGetValue("_id", out var id) ? $"{{_id: {id.ToJson()}}}" : "{}";
}
