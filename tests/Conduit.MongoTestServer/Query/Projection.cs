using Conduit.MongoTestServer.Aggregation;
using Conduit.MongoTestServer.Commands;
using MongoDB.Bson;

namespace Conduit.MongoTestServer.Query;

/// <summary>
/// A find projection or a <c>$project</c> stage: inclusion (<c>{a: 1}</c>, plus computed fields) or exclusion
/// (<c>{a: 0}</c>), with dotted paths and <c>_id</c> included unless excluded.
/// </summary>
internal sealed class Projection
{
    private readonly ProjectionNode _root = new();
    private readonly List<(string Path, BsonValue Expression)> _computed = [];
    private bool? _inclusion;
    private bool? _includeId;

    private Projection()
    {
    }

    /// <summary>Parses a projection; returns <see langword="null"/> for null or empty.</summary>
    /// <exception cref="CommandException">The projection mixes inclusion and exclusion.</exception>
    public static Projection? Parse(BsonDocument? spec)
    {
        if (spec is null || spec.ElementCount == 0)
        {
            return null;
        }

        var projection = new Projection();
        projection.AddFields(spec, prefix: string.Empty);
        projection._inclusion ??= projection._includeId ?? false;
        return projection;
    }

    /// <summary>Returns the projected copy of <paramref name="document"/>; the input is not modified.</summary>
    public BsonDocument Apply(BsonDocument document)
    {
        var includeId = _includeId ?? true;
        BsonDocument result;
        if (_inclusion == true)
        {
            result = new BsonDocument();
            if (includeId && document.TryGetValue("_id", out var id))
            {
                result.Add("_id", id);
            }

            result.AddRange(Include(document, _root).Where(e => e.Name != "_id"));
            foreach (var (path, expression) in _computed)
            {
                if (ExpressionEvaluator.Evaluate(expression, document) is { } value)
                {
                    FieldPath.Set(result, path, value);
                }
            }
        }
        else
        {
            result = Exclude(document, _root);
            if (!includeId)
            {
                result.Remove("_id");
            }
        }

        return result;
    }

    private void AddFields(BsonDocument spec, string prefix)
    {
        foreach (var element in spec)
        {
            var path = prefix + element.Name;
            var value = element.Value;
            if (path == "_id" && (value.IsBoolean || value.IsNumeric))
            {
                _includeId = Truthy(value);
            }
            else if (value.IsBoolean || value.IsNumeric)
            {
                SetMode(path, Truthy(value));
                _root.Add(path);
            }
            else if (value is BsonDocument nested && !FilterMatcher.IsOperatorDocument(nested) && nested.ElementCount > 0)
            {
                AddFields(nested, path + ".");
            }
            else
            {
                if (path == "_id")
                {
                    _includeId = false;
                }
                else
                {
                    SetMode(path, inclusion: true);
                }

                _computed.Add((path, value));
            }
        }
    }

    private void SetMode(string path, bool inclusion)
    {
        if (_inclusion is { } mode && mode != inclusion)
        {
            throw ServerErrors.ProjectionMix(path, inclusionFirst: mode);
        }

        _inclusion = inclusion;
    }

    private static bool Truthy(BsonValue value) => value.IsBoolean ? value.AsBoolean : BsonNumeric.ToDouble(value) != 0;

    private static IEnumerable<BsonElement> Include(BsonDocument source, ProjectionNode node)
    {
        foreach (var element in source)
        {
            if (!node.Children.TryGetValue(element.Name, out var child))
            {
                continue;
            }

            if (child.IsLeaf)
            {
                yield return element;
            }
            else if (IncludeValue(element.Value, child) is { } projected)
            {
                yield return new BsonElement(element.Name, projected);
            }
        }
    }

    private static BsonValue? IncludeValue(BsonValue value, ProjectionNode node) => value switch
    {
        BsonDocument document => new BsonDocument(Include(document, node)),
        BsonArray array => new BsonArray(array.Select(item => IncludeValue(item, node)).OfType<BsonValue>()),
        _ => null, // a scalar has no sub-fields to include
    };

    private static BsonDocument Exclude(BsonDocument source, ProjectionNode node)
    {
        var result = new BsonDocument();
        foreach (var element in source)
        {
            if (!node.Children.TryGetValue(element.Name, out var child))
            {
                result.Add(element);
            }
            else if (!child.IsLeaf)
            {
                result.Add(element.Name, ExcludeValue(element.Value, child));
            }
        }

        return result;
    }

    private static BsonValue ExcludeValue(BsonValue value, ProjectionNode node) => value switch
    {
        BsonDocument document => Exclude(document, node),
        BsonArray array => new BsonArray(array.Select(item => ExcludeValue(item, node))),
        _ => value,
    };
}
