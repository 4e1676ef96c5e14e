using Conduit.MongoTestServer.Commands;
using Conduit.MongoTestServer.Query;
using MongoDB.Bson;

namespace Conduit.MongoTestServer.Aggregation;

/// <summary>
/// Evaluates aggregation expressions: <c>"$field.path"</c>, <c>"$$ROOT"</c>, literals, object and array
/// literals, and a small set of <c>{$operator: args}</c> forms.
/// </summary>
/// <remarks><see langword="null"/> (C#) stands for a missing value, as distinct from BSON null.</remarks>
internal static partial class ExpressionEvaluator
{
    /// <summary>Evaluates <paramref name="expression"/> against <paramref name="root"/>.</summary>
    /// <exception cref="CommandException">An operator is unknown or its arguments are malformed.</exception>
    public static BsonValue? Evaluate(BsonValue expression, BsonDocument root)
    {
        switch (expression)
        {
            case BsonString { Value: var text } when text.StartsWith("$$", StringComparison.Ordinal):
                return Variable(text[2..], root);
            case BsonString { Value: var text } when text.StartsWith('$'):
                return FieldPath.Resolve(root, text[1..]);
            case BsonDocument document when document.ElementCount == 1 && document.GetElement(0).Name.StartsWith('$'):
                var op = document.GetElement(0);
                return Operator(op.Name, op.Value, root);
            case BsonDocument document:
                var result = new BsonDocument();
                foreach (var element in document)
                {
                    if (Evaluate(element.Value, root) is { } value)
                    {
                        result.Add(element.Name, value);
                    }
                }

                return result;
            case BsonArray array:
                return new BsonArray(array.Select(item => Evaluate(item, root) ?? BsonNull.Value));
            default:
                return expression;
        }
    }

    /// <summary>Applies aggregation truthiness: false, null, missing, undefined and 0 are false.</summary>
    public static bool IsTruthy(BsonValue? value) => value switch
    {
        null => false,
        BsonBoolean b => b.Value,
        BsonNull or BsonUndefined => false,
        _ when value.IsNumeric => BsonNumeric.ToDouble(value) != 0,
        _ => true,
    };

    private static BsonValue? Variable(string name, BsonDocument root)
    {
        var dot = name.IndexOf('.', StringComparison.Ordinal);
        var variable = dot < 0 ? name : name[..dot];
        BsonValue? value = variable switch
        {
            "ROOT" or "CURRENT" => root,
            "NOW" => new BsonDateTime(DateTime.UtcNow),
            "REMOVE" => null,
            _ => throw ServerErrors.NotImplemented($"the variable $${variable}"),
        };

        return dot < 0 || value is null ? value : FieldPath.Resolve(value, name[(dot + 1)..]);
    }

    private static List<BsonValue?> Arguments(BsonValue args, BsonDocument root) => args is BsonArray array
        ? array.Select(a => Evaluate(a, root)).ToList()
        : [Evaluate(args, root)];

    private static BsonValue? Single(string name, BsonValue args, BsonDocument root)
    {
        var values = Arguments(args, root);
        return values.Count == 1 ? values[0] : throw ServerErrors.BadValue($"Expression {name} takes exactly 1 arguments. {values.Count} were passed in.");
    }

    private static (BsonValue? Left, BsonValue? Right) Pair(string name, BsonValue args, BsonDocument root)
    {
        var values = Arguments(args, root);
        return values.Count == 2 ? (values[0], values[1]) : throw ServerErrors.BadValue($"Expression {name} takes exactly 2 arguments. {values.Count} were passed in.");
    }

    private static BsonValue Arithmetic(string name, BsonValue args, BsonDocument root, Func<BsonValue, BsonValue, BsonValue> op)
    {
        BsonValue? total = null;
        foreach (var value in Arguments(args, root))
        {
            if (value is null || value.IsBsonNull)
            {
                return BsonNull.Value;
            }

            if (!value.IsNumeric)
            {
                throw ServerErrors.TypeMismatch($"{name} only supports numeric types, not {value.BsonType}");
            }

            total = total is null ? value : op(total, value);
        }

        return total ?? new BsonInt32(0);
    }

    private static string StringOf(BsonValue? value) => value switch
    {
        null or BsonNull => string.Empty,
        BsonString s => s.Value,
        BsonDateTime date => date.ToUniversalTime().ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", System.Globalization.CultureInfo.InvariantCulture),
        _ when value.IsNumeric => Convert.ToString(BsonTypeMapper.MapToDotNetValue(value), System.Globalization.CultureInfo.InvariantCulture) ?? string.Empty,
        _ => value.ToString() ?? string.Empty,
    };
}
