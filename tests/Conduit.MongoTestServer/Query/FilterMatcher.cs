using Conduit.MongoTestServer.Aggregation;
using Conduit.MongoTestServer.Commands;
using MongoDB.Bson;

namespace Conduit.MongoTestServer.Query;

/// <summary>Evaluates a MongoDB query filter against a document.</summary>
/// <remarks>
/// Field conditions see every value their path reaches (arrays are traversed, and an array matches when
/// the array itself or one of its elements does). A missing field compares as null.
/// </remarks>
internal static partial class FilterMatcher
{
    /// <summary>Tells whether <paramref name="document"/> satisfies <paramref name="filter"/>.</summary>
    /// <exception cref="CommandException">The filter uses an unknown or malformed operator.</exception>
    public static bool Matches(BsonDocument document, BsonDocument? filter)
    {
        if (filter is null)
        {
            return true;
        }

        foreach (var element in filter)
        {
            if (!MatchesElement(document, element))
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>Tells whether the values a path reached satisfy a condition (a value, a regex or an operator document).</summary>
    public static bool MatchesCondition(IReadOnlyList<BsonValue> values, BsonValue condition)
    {
        if (condition is BsonDocument operators && IsOperatorDocument(operators))
        {
            foreach (var op in operators)
            {
                if (op.Name != "$options" && !MatchesOperator(values, op, operators))
                {
                    return false;
                }
            }

            return true;
        }

        if (condition is BsonRegularExpression regex)
        {
            var compiled = RegexMatcher.Create(regex, null);
            return AnyValueOrElement(values, v => RegexMatcher.IsMatch(compiled, v));
        }

        return MatchesEquality(values, condition);
    }

    /// <summary>Tells whether a document's first field name is an operator (<c>$gt</c>, <c>$in</c>…).</summary>
    public static bool IsOperatorDocument(BsonDocument document) =>
        document.ElementCount > 0 && document.GetElement(0).Name.StartsWith('$');

    private static bool MatchesElement(BsonDocument document, BsonElement element)
    {
        switch (element.Name)
        {
            case "$and":
                return Branches(element).All(branch => Matches(document, branch));
            case "$or":
                return Branches(element).Any(branch => Matches(document, branch));
            case "$nor":
                return !Branches(element).Any(branch => Matches(document, branch));
            case "$comment":
                return true;
            case "$expr":
                return ExpressionEvaluator.IsTruthy(ExpressionEvaluator.Evaluate(element.Value, document));
            case var name when name.StartsWith('$'):
                throw ServerErrors.BadValue($"unknown top level operator: {name}");
        }

        return MatchesCondition(FieldPath.Collect(document, element.Name), element.Value);
    }

    private static IEnumerable<BsonDocument> Branches(BsonElement element)
    {
        if (element.Value is not BsonArray { Count: > 0 } branches)
        {
            throw ServerErrors.BadValue($"{element.Name} must be a nonempty array");
        }

        return branches.Select(b => b as BsonDocument ?? throw ServerErrors.BadValue($"{element.Name} argument's entries must be objects"));
    }

    private static bool MatchesEquality(IReadOnlyList<BsonValue> values, BsonValue target) =>
        values.Count == 0
            ? target.IsBsonNull
            : AnyValueOrElement(values, v => BsonValueComparer.AreEqual(v, target));

    private static bool MatchesComparison(IReadOnlyList<BsonValue> values, BsonValue operand, Func<int, bool> accept)
    {
        // Type bracketing: $gt 5 never matches a string, and a missing field only meets null.
        IReadOnlyList<BsonValue> candidates = values.Count == 0 ? [BsonNull.Value] : values;
        return AnyValueOrElement(candidates, v =>
            BsonValueComparer.TypeRank(v) == BsonValueComparer.TypeRank(operand) && accept(BsonValueComparer.CompareValues(v, operand)));
    }

    private static bool AnyValueOrElement(IReadOnlyList<BsonValue> values, Func<BsonValue, bool> predicate)
    {
        foreach (var value in values)
        {
            if (predicate(value))
            {
                return true;
            }

            if (value is BsonArray array && array.Any(predicate))
            {
                return true;
            }
        }

        return false;
    }
}
