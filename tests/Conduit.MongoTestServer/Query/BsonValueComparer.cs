using MongoDB.Bson;

namespace Conduit.MongoTestServer.Query;

/// <summary>Orders BSON values the way MongoDB sorts them, across types.</summary>
/// <remarks>
/// MinKey &lt; null &lt; numbers &lt; strings &lt; objects &lt; arrays &lt; binary &lt; ObjectId &lt; bool
/// &lt; date &lt; timestamp &lt; regex &lt; MaxKey. Numbers of different BSON types compare by value.
/// </remarks>
internal sealed class BsonValueComparer : IComparer<BsonValue>
{
    /// <summary>Gets the shared instance.</summary>
    public static BsonValueComparer Instance { get; } = new();

    /// <inheritdoc />
    public int Compare(BsonValue? x, BsonValue? y) => CompareValues(x ?? BsonNull.Value, y ?? BsonNull.Value);

    /// <summary>Returns the position of a value's type in MongoDB's cross-type sort order.</summary>
    public static int TypeRank(BsonValue value) => value.BsonType switch
    {
        BsonType.MinKey => 1,
        BsonType.Null or BsonType.Undefined => 2,
        BsonType.Int32 or BsonType.Int64 or BsonType.Double or BsonType.Decimal128 => 3,
        BsonType.String or BsonType.Symbol => 4,
        BsonType.Document => 5,
        BsonType.Array => 6,
        BsonType.Binary => 7,
        BsonType.ObjectId => 8,
        BsonType.Boolean => 9,
        BsonType.DateTime => 10,
        BsonType.Timestamp => 11,
        BsonType.RegularExpression => 12,
        BsonType.JavaScript or BsonType.JavaScriptWithScope => 13,
        _ => 100, // MaxKey
    };

    /// <summary>Compares two values in MongoDB order.</summary>
    public static int CompareValues(BsonValue x, BsonValue y)
    {
        var rank = TypeRank(x).CompareTo(TypeRank(y));
        if (rank != 0)
        {
            return rank;
        }

        return x.BsonType switch
        {
            BsonType.Int32 or BsonType.Int64 or BsonType.Double or BsonType.Decimal128 => BsonNumeric.Compare(x, y),
            BsonType.String or BsonType.Symbol => string.CompareOrdinal(StringOf(x), StringOf(y)),
            BsonType.Document => CompareDocuments(x.AsBsonDocument, y.AsBsonDocument),
            BsonType.Array => CompareArrays(x.AsBsonArray, y.AsBsonArray),
            BsonType.Binary => CompareBinary(x.AsBsonBinaryData, y.AsBsonBinaryData),
            BsonType.ObjectId => x.AsObjectId.CompareTo(y.AsObjectId),
            BsonType.Boolean => x.AsBoolean.CompareTo(y.AsBoolean),
            BsonType.DateTime => x.AsBsonDateTime.MillisecondsSinceEpoch.CompareTo(y.AsBsonDateTime.MillisecondsSinceEpoch),
            BsonType.Timestamp => ((ulong)x.AsBsonTimestamp.Value).CompareTo((ulong)y.AsBsonTimestamp.Value),
            BsonType.RegularExpression => CompareRegex(x.AsBsonRegularExpression, y.AsBsonRegularExpression),
            BsonType.JavaScript => string.CompareOrdinal(x.AsBsonJavaScript.Code, y.AsBsonJavaScript.Code),
            _ => 0,
        };
    }

    /// <summary>Tells whether two values are equal in MongoDB's sense (1 == 1.0 == NumberLong(1)).</summary>
    public static bool AreEqual(BsonValue x, BsonValue y) => CompareValues(x, y) == 0;

    private static string StringOf(BsonValue value) => value.IsString ? value.AsString : value.AsBsonSymbol.Name;

    private static int CompareDocuments(BsonDocument x, BsonDocument y)
    {
        var count = Math.Min(x.ElementCount, y.ElementCount);
        for (var i = 0; i < count; i++)
        {
            var left = x.GetElement(i);
            var right = y.GetElement(i);
            var result = TypeRank(left.Value).CompareTo(TypeRank(right.Value));
            if (result == 0)
            {
                result = string.CompareOrdinal(left.Name, right.Name);
            }

            if (result == 0)
            {
                result = CompareValues(left.Value, right.Value);
            }

            if (result != 0)
            {
                return result;
            }
        }

        return x.ElementCount.CompareTo(y.ElementCount);
    }

    private static int CompareArrays(BsonArray x, BsonArray y)
    {
        var count = Math.Min(x.Count, y.Count);
        for (var i = 0; i < count; i++)
        {
            var result = CompareValues(x[i], y[i]);
            if (result != 0)
            {
                return result;
            }
        }

        return x.Count.CompareTo(y.Count);
    }

    private static int CompareBinary(BsonBinaryData x, BsonBinaryData y)
    {
        var result = x.Bytes.Length.CompareTo(y.Bytes.Length);
        if (result == 0)
        {
            result = ((int)x.SubType).CompareTo((int)y.SubType);
        }

        return result != 0 ? result : x.Bytes.AsSpan().SequenceCompareTo(y.Bytes);
    }

    private static int CompareRegex(BsonRegularExpression x, BsonRegularExpression y)
    {
        var result = string.CompareOrdinal(x.Pattern, y.Pattern);
        return result != 0 ? result : string.CompareOrdinal(x.Options, y.Options);
    }
}
