using MongoDB.Bson;

namespace Conduit.MongoTestServer.Query;

/// <summary>Equality consistent with <see cref="BsonValueComparer"/>, usable as a dictionary key comparer.</summary>
internal sealed class BsonValueEqualityComparer : IEqualityComparer<BsonValue>
{
    /// <summary>Gets the shared instance.</summary>
    public static BsonValueEqualityComparer Instance { get; } = new();

    /// <inheritdoc />
    public bool Equals(BsonValue? x, BsonValue? y) =>
        x is null || y is null ? ReferenceEquals(x, y) : BsonValueComparer.AreEqual(x, y);

    /// <inheritdoc />
    public int GetHashCode(BsonValue obj) => obj.BsonType switch
    {
        // Numbers that compare equal across types must hash equally, so all hash as doubles.
        BsonType.Int32 or BsonType.Int64 or BsonType.Double or BsonType.Decimal128 => HashNumber(BsonNumeric.ToDouble(obj)),
        BsonType.String => StringComparer.Ordinal.GetHashCode(obj.AsString),
        BsonType.Symbol => StringComparer.Ordinal.GetHashCode(obj.AsBsonSymbol.Name),
        BsonType.Null or BsonType.Undefined => 0,
        BsonType.Document => HashDocument(obj.AsBsonDocument),
        BsonType.Array => HashArray(obj.AsBsonArray),
        _ => obj.GetHashCode(),
    };

    private static int HashNumber(double value) => value == 0 || double.IsNaN(value) ? 0 : value.GetHashCode();

    private int HashDocument(BsonDocument document)
    {
        var hash = new HashCode();
        foreach (var element in document)
        {
            hash.Add(element.Name, StringComparer.Ordinal);
            hash.Add(GetHashCode(element.Value));
        }

        return hash.ToHashCode();
    }

    private int HashArray(BsonArray array)
    {
        var hash = new HashCode();
        foreach (var item in array)
        {
            hash.Add(GetHashCode(item));
        }

        return hash.ToHashCode();
    }
}
