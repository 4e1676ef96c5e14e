using Conduit.MongoTestServer.Commands;
using Conduit.MongoTestServer.Query;
using MongoDB.Bson;

namespace Conduit.MongoTestServer.Aggregation;

/// <summary>Runs an aggregation pipeline over documents held in memory.</summary>
/// <remarks>Stages never modify their input documents: stored documents are shared, so stages copy before writing.</remarks>
internal static class Pipeline
{
    private static readonly HashSet<string> _knownButUnsupported = new(StringComparer.Ordinal)
    {
        "$lookup", "$facet", "$bucket", "$bucketAuto", "$out", "$merge", "$geoNear", "$graphLookup",
        "$sample", "$sortByCount", "$unionWith", "$densify", "$fill", "$setWindowFields", "$redact",
        "$collStats", "$indexStats", "$currentOp", "$listSessions", "$changeStream", "$search",
    };

    /// <summary>Runs <paramref name="stages"/> over <paramref name="input"/> and returns the output documents.</summary>
    /// <exception cref="CommandException">A stage is unknown, unsupported or malformed.</exception>
    public static List<BsonDocument> Execute(IEnumerable<BsonDocument> input, BsonArray stages)
    {
        var current = input.ToList();
        foreach (var stageValue in stages)
        {
            if (stageValue is not BsonDocument { ElementCount: 1 } stage)
            {
                throw new CommandException(40323, "Location40323", "A pipeline stage specification object must contain exactly one field.");
            }

            var (name, spec) = (stage.GetElement(0).Name, stage.GetElement(0).Value);
            current = name switch
            {
                "$match" => current.Where(d => FilterMatcher.Matches(d, AsDocument(name, spec))).ToList(),
                "$group" => GroupStage.Execute(current, AsDocument(name, spec)),
                "$sort" => SortSpecification.Parse(AsDocument(name, spec))?.Apply(current) ?? throw ServerErrors.BadValue("$sort stage must have at least one sort key"),
                "$project" => Project(current, Projection.Parse(AsDocument(name, spec)) ?? throw new CommandException(51272, "Location51272", "Invalid $project :: caused by :: projection specification must have at least one field")),
                "$limit" => current.Take(checked((int)PositiveLong(name, spec, allowZero: false))).ToList(),
                "$skip" => current.Skip((int)Math.Min(int.MaxValue, PositiveLong(name, spec, allowZero: true))).ToList(),
                "$count" => Count(current, spec),
                "$unset" => Project(current, UnsetProjection(spec)),
                "$addFields" or "$set" => current.Select(d => AddFields(d, AsDocument(name, spec))).ToList(),
                "$replaceRoot" => current.Select(d => ReplaceRoot(d, AsDocument(name, spec).GetValue("newRoot", BsonNull.Value))).ToList(),
                "$replaceWith" => current.Select(d => ReplaceRoot(d, spec)).ToList(),
                "$unwind" => UnwindStage.Execute(current, spec),
                _ when _knownButUnsupported.Contains(name) => throw ServerErrors.NotImplemented($"the {name} stage"),
                _ => throw ServerErrors.UnknownStage(name),
            };
        }

        return current;
    }

    private static BsonDocument AsDocument(string stage, BsonValue spec) =>
        spec as BsonDocument ?? throw ServerErrors.BadValue($"the {stage} stage specification must be an object");

    private static long PositiveLong(string stage, BsonValue spec, bool allowZero)
    {
        var value = spec.IsNumeric ? spec.ToInt64() : -1;
        return value > 0 || (allowZero && value == 0) ? value : throw ServerErrors.BadValue($"invalid argument to {stage} stage: {spec}");
    }

    private static List<BsonDocument> Project(List<BsonDocument> input, Projection projection) =>
        input.Select(projection.Apply).ToList();

    private static List<BsonDocument> Count(List<BsonDocument> input, BsonValue spec)
    {
        if (spec is not BsonString { Value.Length: > 0 } field || field.Value.StartsWith('$') || field.Value.Contains('.', StringComparison.Ordinal))
        {
            throw ServerErrors.BadValue("the count field must be a non-empty string without '$' or '.'");
        }

        return input.Count == 0 ? [] : [new BsonDocument(field.Value, input.Count)];
    }

    private static Projection UnsetProjection(BsonValue spec)
    {
        var fields = spec is BsonArray array ? array : [spec];
        var exclusion = new BsonDocument();
        foreach (var field in fields)
        {
            exclusion[field.IsString ? field.AsString : throw ServerErrors.BadValue("$unset specification must be a string or an array of strings")] = 0;
        }

        return Projection.Parse(exclusion) ?? throw ServerErrors.BadValue("$unset specification must not be empty");
    }

    private static BsonDocument AddFields(BsonDocument document, BsonDocument spec)
    {
        var result = document.DeepClone().AsBsonDocument;
        foreach (var element in spec)
        {
            if (ExpressionEvaluator.Evaluate(element.Value, document) is { } value)
            {
                FieldPath.Set(result, element.Name, value);
            }
            else
            {
                FieldPath.Remove(result, element.Name);
            }
        }

        return result;
    }

    private static BsonDocument ReplaceRoot(BsonDocument document, BsonValue expression) =>
        ExpressionEvaluator.Evaluate(expression, document) as BsonDocument
            ?? throw new CommandException(40228, "Location40228", "'newRoot' expression must evaluate to an object");
}
