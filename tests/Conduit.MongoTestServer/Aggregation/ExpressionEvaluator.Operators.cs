using Conduit.MongoTestServer.Commands;
using Conduit.MongoTestServer.Query;
using MongoDB.Bson;

namespace Conduit.MongoTestServer.Aggregation;

/// <content>The supported expression operators.</content>
internal static partial class ExpressionEvaluator
{
    private static BsonValue? Operator(string name, BsonValue args, BsonDocument root)
    {
        switch (name)
        {
            case "$literal":
                return args;
            case "$add":
                return Arithmetic(name, args, root, BsonNumeric.Add);
            case "$multiply":
                return Arithmetic(name, args, root, BsonNumeric.Multiply);
            case "$subtract":
                var (minuend, subtrahend) = Pair(name, args, root);
                return Arithmetic(name, new BsonArray { minuend ?? BsonNull.Value, subtrahend ?? BsonNull.Value }, root, BsonNumeric.Subtract);
            case "$divide":
                var (dividend, divisor) = Pair(name, args, root);
                return Arithmetic(name, new BsonArray { dividend ?? BsonNull.Value, divisor ?? BsonNull.Value }, root, BsonNumeric.Divide);
            case "$concat":
                var parts = Arguments(args, root);
                return parts.Any(p => p is null || p.IsBsonNull) ? BsonNull.Value : new BsonString(string.Concat(parts.Select(StringOf)));
            case "$toUpper":
                return new BsonString(StringOf(Single(name, args, root)).ToUpperInvariant());
            case "$toLower":
                return new BsonString(StringOf(Single(name, args, root)).ToLowerInvariant());
            case "$toString":
                return Single(name, args, root) is { IsBsonNull: false } text ? new BsonString(StringOf(text)) : BsonNull.Value;
            case "$size":
                return Single(name, args, root) is BsonArray sized ? new BsonInt32(sized.Count) : throw ServerErrors.BadValue("The argument to $size must be an array");
            case "$ifNull":
                return Arguments(args, root).FirstOrDefault(v => v is { IsBsonNull: false }) ?? BsonNull.Value;
            case "$cond":
                return Condition(args, root);
            case "$eq" or "$ne" or "$gt" or "$gte" or "$lt" or "$lte" or "$cmp":
                return Compare(name, args, root);
            case "$and":
                return Arguments(args, root).All(IsTruthy);
            case "$or":
                return Arguments(args, root).Any(IsTruthy);
            case "$not":
                return !IsTruthy(Single(name, args, root));
            case "$in":
                var (needle, haystack) = Pair(name, args, root);
                return haystack is BsonArray items ? items.Any(i => BsonValueComparer.AreEqual(i, needle ?? BsonNull.Value)) : throw ServerErrors.BadValue("$in requires an array as a second argument");
            case "$arrayElemAt":
                return ArrayElementAt(name, args, root);
            case "$first" or "$last":
                var list = Single(name, args, root) as BsonArray;
                return list is null or { Count: 0 } ? null : name == "$first" ? list[0] : list[^1];
            case "$sum" or "$avg" or "$min" or "$max":
                return ArrayAccumulate(name, args, root);
            default:
                throw ServerErrors.InvalidPipelineOperator($"Unrecognized expression '{name}'");
        }
    }

    private static BsonValue? Condition(BsonValue args, BsonDocument root)
    {
        var (ifExpr, thenExpr, elseExpr) = args switch
        {
            BsonArray { Count: 3 } a => (a[0], a[1], a[2]),
            BsonDocument d when d.Contains("if") && d.Contains("then") && d.Contains("else") => (d["if"], d["then"], d["else"]),
            _ => throw ServerErrors.BadValue("$cond needs if, then and else"),
        };

        return Evaluate(IsTruthy(Evaluate(ifExpr, root)) ? thenExpr : elseExpr, root);
    }

    private static BsonValue Compare(string name, BsonValue args, BsonDocument root)
    {
        var (left, right) = Pair(name, args, root);
        var result = BsonValueComparer.CompareValues(left ?? BsonNull.Value, right ?? BsonNull.Value);
        return name switch
        {
            "$eq" => result == 0,
            "$ne" => result != 0,
            "$gt" => result > 0,
            "$gte" => result >= 0,
            "$lt" => result < 0,
            "$lte" => result <= 0,
            _ => new BsonInt32(Math.Sign(result)),
        };
    }

    private static BsonValue? ArrayElementAt(string name, BsonValue args, BsonDocument root)
    {
        var (array, index) = Pair(name, args, root);
        if (array is not BsonArray items || index is null || !index.IsNumeric)
        {
            return BsonNull.Value;
        }

        var position = index.ToInt32();
        position = position < 0 ? items.Count + position : position;
        return position >= 0 && position < items.Count ? items[position] : null;
    }

    private static BsonValue ArrayAccumulate(string name, BsonValue args, BsonDocument root)
    {
        var values = Arguments(args, root);
        // With one argument that is an array, the operator reduces the array's elements.
        var inputs = values is [BsonArray only] ? only.ToList() : values.OfType<BsonValue>().ToList();
        var accumulator = new Accumulator(name, BsonNull.Value);
        foreach (var input in inputs)
        {
            accumulator.Add(input);
        }

        return accumulator.Result();
    }
}
