using Conduit.MongoTestServer.Commands;
using MongoDB.Bson;

namespace Conduit.MongoTestServer.Query;

/// <content>The individual update operators.</content>
internal static partial class UpdateApplier
{
    private static void ApplyOperator(BsonDocument target, string op, string path, BsonValue value, bool isInsert)
    {
        var exists = FieldPath.TryGet(target, path, out var current);
        switch (op)
        {
            case "$set":
                FieldPath.Set(target, path, value);
                break;
            case "$setOnInsert":
                if (isInsert)
                {
                    FieldPath.Set(target, path, value);
                }

                break;
            case "$unset":
                FieldPath.Remove(target, path);
                break;
            case "$inc" or "$mul":
                if (!value.IsNumeric)
                {
                    throw ServerErrors.TypeMismatch($"Cannot {(op == "$inc" ? "increment" : "multiply")} with non-numeric argument: {{{path}: {value.ToJson()}}}");
                }

                if (exists && !current.IsNumeric)
                {
                    throw ServerErrors.TypeMismatch($"Cannot apply {op} to a value of non-numeric type. {IdOf(target)} has the field '{path}' of non-numeric type {current.BsonType.ToString().ToLowerInvariant()}");
                }

                var baseValue = exists ? current : BsonNumeric.ZeroLike(value);
                FieldPath.Set(target, path, op == "$inc" ? BsonNumeric.Add(baseValue, value) : BsonNumeric.Multiply(baseValue, value));
                break;
            case "$min" or "$max":
                var order = exists ? BsonValueComparer.CompareValues(value, current) : 0;
                if (!exists || (op == "$min" ? order < 0 : order > 0))
                {
                    FieldPath.Set(target, path, value);
                }

                break;
            case "$push" or "$addToSet":
                AddToArray(target, op, path, value, ExistingArray(target, path, exists, current));
                break;
            case "$pull" or "$pullAll" or "$pop":
                if (exists)
                {
                    RemoveFromArray(op, value, ExistingArray(target, path, exists, current)!);
                }

                break;
            case "$rename":
                if (value is not BsonString { Value.Length: > 0 } newPath)
                {
                    throw ServerErrors.BadValue($"The 'to' field for $rename must be a string: {path}: {value}");
                }

                if (exists)
                {
                    FieldPath.Remove(target, path);
                    FieldPath.Set(target, newPath.Value, current);
                }

                break;
            case "$currentDate":
                var wantsTimestamp = value is BsonDocument typeSpec && typeSpec.GetValue("$type", "date") == "timestamp";
                FieldPath.Set(target, path, wantsTimestamp
                    ? new BsonTimestamp((int)DateTimeOffset.UtcNow.ToUnixTimeSeconds(), 1)
                    : new BsonDateTime(DateTime.UtcNow));
                break;
            default:
                throw ServerErrors.FailedToParse($"Unknown modifier: {op}. Expected a valid update modifier or pipeline-style update specified as an array");
        }
    }

    private static BsonArray? ExistingArray(BsonDocument target, string path, bool exists, BsonValue current)
    {
        if (!exists)
        {
            return null;
        }

        return current as BsonArray ?? throw ServerErrors.BadValue(
            $"The field '{path}' must be an array but is of type {current.BsonType.ToString().ToLowerInvariant()} in document {IdOf(target)}");
    }

    private static void AddToArray(BsonDocument target, string op, string path, BsonValue value, BsonArray? items)
    {
        var created = items is null;
        items ??= [];
        var modifiers = value as BsonDocument;
        var each = modifiers is not null && modifiers.TryGetValue("$each", out var list)
            ? list as BsonArray ?? throw ServerErrors.BadValue($"The argument to $each in {op} must be an array but it was of type: {list.BsonType}")
            : [value];

        if (op == "$addToSet")
        {
            foreach (var item in each.Where(item => !items.Any(existing => BsonValueComparer.AreEqual(existing, item))))
            {
                items.Add(item);
            }
        }
        else
        {
            var position = modifiers?.GetValue("$position", BsonNull.Value) is { IsNumeric: true } p ? p.ToInt32() : items.Count;
            position = Math.Clamp(position < 0 ? items.Count + position : position, 0, items.Count);
            foreach (var item in each)
            {
                items.Insert(position++, item);
            }

            ApplyPushModifiers(items, modifiers);
        }

        if (created)
        {
            FieldPath.Set(target, path, items);
        }
    }

    private static void ApplyPushModifiers(BsonArray items, BsonDocument? modifiers)
    {
        if (modifiers is null)
        {
            return;
        }

        if (modifiers.TryGetValue("$sort", out var sort))
        {
            var sorted = sort is BsonDocument spec
                ? SortSpecification.Parse(spec)!.Apply(items.OfType<BsonDocument>()).Cast<BsonValue>().ToList()
                : items.OrderBy(i => i, BsonValueComparer.Instance).ToList();
            if (sort.IsNumeric && sort.ToInt32() < 0)
            {
                sorted.Reverse();
            }

            items.Clear();
            items.AddRange(sorted);
        }

        if (modifiers.TryGetValue("$slice", out var slice) && slice.IsNumeric)
        {
            var keep = slice.ToInt32();
            var kept = keep >= 0 ? items.Take(keep).ToList() : items.Skip(Math.Max(0, items.Count + keep)).ToList();
            items.Clear();
            items.AddRange(kept);
        }
    }

    private static void RemoveFromArray(string op, BsonValue value, BsonArray items)
    {
        switch (op)
        {
            case "$pop" when items.Count > 0:
                items.RemoveAt(value.IsNumeric && value.ToInt32() < 0 ? 0 : items.Count - 1);
                break;
            case "$pullAll":
                var unwanted = value as BsonArray ?? throw ServerErrors.BadValue("$pullAll requires an array argument");
                Keep(items, item => !unwanted.Any(u => BsonValueComparer.AreEqual(u, item)));
                break;
            case "$pull":
                Keep(items, item => !PullMatches(item, value));
                break;
        }
    }

    private static bool PullMatches(BsonValue item, BsonValue condition) => condition switch
    {
        BsonDocument operators when FilterMatcher.IsOperatorDocument(operators) => FilterMatcher.MatchesCondition([item], operators),
        BsonDocument query => item is BsonDocument document && FilterMatcher.Matches(document, query),
        _ => FilterMatcher.MatchesCondition([item], condition),
    };

    private static void Keep(BsonArray items, Func<BsonValue, bool> predicate)
    {
        var kept = items.Where(predicate).ToList();
        items.Clear();
        items.AddRange(kept);
    }
}
