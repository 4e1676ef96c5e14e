using Conduit.MongoTestServer.Commands;
using MongoDB.Bson;

namespace Conduit.MongoTestServer.Query;

/// <summary>A parsed sort document (<c>{a: 1, "b.c": -1}</c>), applied with MongoDB's cross-type order.</summary>
internal sealed class SortSpecification
{
    private readonly List<(string Path, int Direction)> _keys;

    private SortSpecification(List<(string Path, int Direction)> keys) => _keys = keys;

    /// <summary>Parses a sort document; returns <see langword="null"/> for null or empty.</summary>
    public static SortSpecification? Parse(BsonDocument? spec)
    {
        if (spec is null || spec.ElementCount == 0)
        {
            return null;
        }

        var keys = new List<(string, int)>();
        foreach (var element in spec)
        {
            if (element.Value is BsonDocument)
            {
                throw ServerErrors.NotImplemented("$meta sort");
            }

            var direction = element.Value.IsNumeric ? BsonNumeric.ToDouble(element.Value) : 0;
            if (direction is not (1 or -1))
            {
                throw ServerErrors.BadValue("$sort key ordering must be 1 (for ascending) or -1 (for descending)");
            }

            keys.Add((element.Name, (int)direction));
        }

        return new SortSpecification(keys);
    }

    /// <summary>Returns the documents in sort order; the sort is stable, so ties keep their input order.</summary>
    public List<BsonDocument> Apply(IEnumerable<BsonDocument> documents) => documents
        .Select(d => (Document: d, Keys: _keys.Select(k => SortKey(d, k.Path, k.Direction)).ToArray()))
        .OrderBy(x => x.Keys, Comparer<BsonValue[]>.Create(CompareKeys))
        .Select(x => x.Document)
        .ToList();

    private int CompareKeys(BsonValue[] x, BsonValue[] y)
    {
        for (var i = 0; i < _keys.Count; i++)
        {
            var result = BsonValueComparer.CompareValues(x[i], y[i]) * _keys[i].Direction;
            if (result != 0)
            {
                return result;
            }
        }

        return 0;
    }

    // An array sorts by its smallest element ascending and its largest descending; missing sorts as null.
    private static BsonValue SortKey(BsonDocument document, string path, int direction)
    {
        BsonValue? best = null;
        foreach (var value in FieldPath.Collect(document, path))
        {
            var candidates = value is BsonArray { Count: > 0 } array ? array : (IEnumerable<BsonValue>)[value];
            foreach (var candidate in candidates)
            {
                if (best is null || BsonValueComparer.CompareValues(candidate, best) * direction < 0)
                {
                    best = candidate;
                }
            }
        }

        return best ?? BsonNull.Value;
    }
}
