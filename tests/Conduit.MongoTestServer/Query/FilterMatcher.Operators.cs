using Conduit.MongoTestServer.Commands;
using MongoDB.Bson;

namespace Conduit.MongoTestServer.Query;

/// <content>Field-level query operators.</content>
internal static partial class FilterMatcher
{
    private static bool MatchesOperator(IReadOnlyList<BsonValue> values, BsonElement op, BsonDocument operators)
    {
        var operand = op.Value;
        switch (op.Name)
        {
            case "$eq":
                return MatchesEquality(values, operand);
            case "$ne":
                return !MatchesEquality(values, operand);
            case "$gt":
                return MatchesComparison(values, operand, c => c > 0);
            case "$gte":
                return MatchesComparison(values, operand, c => c >= 0);
            case "$lt":
                return MatchesComparison(values, operand, c => c < 0);
            case "$lte":
                return MatchesComparison(values, operand, c => c <= 0);
            case "$in":
                return MatchesIn(values, ArrayOperand(op));
            case "$nin":
                return !MatchesIn(values, ArrayOperand(op));
            case "$exists":
                return values.Count > 0 == ExpressionTruth(operand);
            case "$size":
                var size = operand.IsNumeric ? operand.ToInt64() : throw ServerErrors.BadValue("$size needs a number");
                return values.Any(v => v is BsonArray array && array.Count == size);
            case "$regex":
                var regex = RegexMatcher.Create(operand, operators.GetValue("$options", null));
                return AnyValueOrElement(values, v => RegexMatcher.IsMatch(regex, v));
            case "$not":
                if (operand is not (BsonDocument or BsonRegularExpression))
                {
                    throw ServerErrors.BadValue("$not needs a regex or a document");
                }

                return !MatchesCondition(values, operand);
            case "$elemMatch":
                var spec = operand as BsonDocument ?? throw ServerErrors.BadValue("$elemMatch needs an Object");
                return values.Any(v => v is BsonArray array && array.Any(item => ElementMatches(item, spec)));
            case "$all":
                var required = ArrayOperand(op);
                return required.Count > 0 && required.All(item => item is BsonDocument all && all.Contains("$elemMatch")
                    ? MatchesCondition(values, all)
                    : MatchesEquality(values, item));
            case "$type":
                return MatchesType(values, operand);
            case "$mod":
                return MatchesMod(values, ArrayOperand(op));
            case "$options":
                return true;
            default:
                throw ServerErrors.BadValue($"unknown operator: {op.Name}");
        }
    }

    private static BsonArray ArrayOperand(BsonElement op) =>
        op.Value as BsonArray ?? throw ServerErrors.BadValue($"{op.Name} needs an array");

    private static bool ExpressionTruth(BsonValue value) =>
        value.IsBoolean ? value.AsBoolean : !value.IsBsonNull && (!value.IsNumeric || BsonNumeric.ToDouble(value) != 0);

    private static bool MatchesIn(IReadOnlyList<BsonValue> values, BsonArray candidates)
    {
        foreach (var candidate in candidates)
        {
            if (candidate is BsonRegularExpression pattern)
            {
                var regex = RegexMatcher.Create(pattern, null);
                if (AnyValueOrElement(values, v => RegexMatcher.IsMatch(regex, v)))
                {
                    return true;
                }
            }
            else if (MatchesEquality(values, candidate))
            {
                return true;
            }
        }

        return false;
    }

    private static bool ElementMatches(BsonValue item, BsonDocument spec)
    {
        if (IsOperatorDocument(spec))
        {
            return MatchesCondition([item], spec);
        }

        return item is BsonDocument document && Matches(document, spec);
    }

    private static bool MatchesType(IReadOnlyList<BsonValue> values, BsonValue operand)
    {
        var wanted = operand is BsonArray list ? list.ToList() : [operand];
        bool IsWanted(BsonValue v) => wanted.Any(w => TypeMatches(v, w));
        return values.Any(v => IsWanted(v) || v is BsonArray array && array.Any(IsWanted));
    }

    private static bool TypeMatches(BsonValue value, BsonValue wanted)
    {
        if (wanted.IsNumeric)
        {
            return (int)value.BsonType == wanted.ToInt32();
        }

        return wanted.AsString switch
        {
            "double" => value.BsonType == BsonType.Double,
            "string" => value.BsonType == BsonType.String,
            "object" => value.BsonType == BsonType.Document,
            "array" => value.BsonType == BsonType.Array,
            "binData" => value.BsonType == BsonType.Binary,
            "objectId" => value.BsonType == BsonType.ObjectId,
            "bool" => value.BsonType == BsonType.Boolean,
            "date" => value.BsonType == BsonType.DateTime,
            "null" => value.BsonType == BsonType.Null,
            "regex" => value.BsonType == BsonType.RegularExpression,
            "int" => value.BsonType == BsonType.Int32,
            "timestamp" => value.BsonType == BsonType.Timestamp,
            "long" => value.BsonType == BsonType.Int64,
            "decimal" => value.BsonType == BsonType.Decimal128,
            "number" => value.IsNumeric,
            var alias => throw ServerErrors.BadValue($"Unknown type name alias: {alias}"),
        };
    }

    private static bool MatchesMod(IReadOnlyList<BsonValue> values, BsonArray operand)
    {
        if (operand.Count != 2 || !operand[0].IsNumeric || !operand[1].IsNumeric)
        {
            throw ServerErrors.BadValue("malformed mod, needs to be an array of [divisor, remainder]");
        }

        var divisor = operand[0].ToInt64();
        var remainder = operand[1].ToInt64();
        if (divisor == 0)
        {
            throw ServerErrors.BadValue("divisor cannot be 0");
        }

        return AnyValueOrElement(values, v => v.IsNumeric && (long)BsonNumeric.ToDouble(v) % divisor == remainder);
    }
}
