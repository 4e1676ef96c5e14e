using Conduit.MongoTestServer.Commands;
using Conduit.MongoTestServer.Query;
using MongoDB.Bson;

namespace Conduit.MongoTestServer.Aggregation;

/// <summary>
/// The running state of one <c>$group</c> accumulator (<c>$sum $avg $min $max $first $last $push
/// $addToSet $count</c>), also used by the array forms of <c>$sum</c>/<c>$avg</c>/<c>$min</c>/<c>$max</c>.
/// </summary>
internal sealed class Accumulator
{
    private readonly string _operator;
    private readonly BsonValue _expression;
    private readonly BsonArray _items = [];
    private BsonValue _sum = new BsonInt32(0);
    private long _count;
    private BsonValue? _extreme;
    private BsonValue? _first;
    private BsonValue? _last;

    /// <summary>Initializes a new instance of the <see cref="Accumulator"/> class.</summary>
    /// <param name="op">The accumulator operator, e.g. <c>$sum</c>.</param>
    /// <param name="expression">The expression evaluated for each document.</param>
    public Accumulator(string op, BsonValue expression)
    {
        if (op is not ("$sum" or "$avg" or "$min" or "$max" or "$first" or "$last" or "$push" or "$addToSet" or "$count"))
        {
            throw new CommandException(15952, "Location15952", $"unknown group operator '{op}'");
        }

        _operator = op;
        _expression = expression;
    }

    /// <summary>Feeds one input document.</summary>
    public void Accept(BsonDocument document) =>
        Add(_operator == "$count" ? new BsonInt32(1) : ExpressionEvaluator.Evaluate(_expression, document));

    /// <summary>Feeds one already-evaluated value; <see langword="null"/> means missing.</summary>
    public void Add(BsonValue? value)
    {
        switch (_operator)
        {
            case "$sum" or "$count" or "$avg" when value is not null && value.IsNumeric:
                _sum = BsonNumeric.Add(_sum, value);
                _count++;
                break;
            case "$min" or "$max" when value is { IsBsonNull: false, IsBsonUndefined: false }:
                var order = BsonValueComparer.CompareValues(value, _extreme ?? value);
                if (_extreme is null || (_operator == "$min" ? order < 0 : order > 0))
                {
                    _extreme = value;
                }

                break;
            case "$first":
                _first ??= value ?? BsonNull.Value;
                break;
            case "$last":
                _last = value ?? BsonNull.Value;
                break;
            case "$push" when value is not null:
                _items.Add(value);
                break;
            case "$addToSet" when value is not null && !_items.Any(i => BsonValueComparer.AreEqual(i, value)):
                _items.Add(value);
                break;
        }
    }

    /// <summary>Returns the accumulated result.</summary>
    public BsonValue Result() => _operator switch
    {
        "$sum" or "$count" => _sum,
        "$avg" when _count == 0 => BsonNull.Value,
        "$avg" => BsonNumeric.Divide(_sum, new BsonInt64(_count)),
        "$min" or "$max" => _extreme ?? BsonNull.Value,
        "$first" => _first ?? BsonNull.Value,
        "$last" => _last ?? BsonNull.Value,
        _ => _items,
    };
}
