using MongoDB.Bson;

namespace Conduit.MongoTestServer.Query;

/// <summary>Comparison and arithmetic over BSON numbers with MongoDB's type promotion.</summary>
/// <remarks>int + int stays int unless it overflows (then long, then double); any double makes a double;
/// any Decimal128 makes a Decimal128.</remarks>
internal static class BsonNumeric
{
    /// <summary>Tells whether <paramref name="value"/> is a BSON number.</summary>
    public static bool IsNumber(BsonValue? value) => value is not null && value.IsNumeric;

    /// <summary>Converts a BSON number to a double.</summary>
    public static double ToDouble(BsonValue value) => value.BsonType switch
    {
        BsonType.Int32 => value.AsInt32,
        BsonType.Int64 => value.AsInt64,
        BsonType.Decimal128 => Decimal128.ToDouble(value.AsDecimal128),
        _ => value.AsDouble,
    };

    /// <summary>Compares two BSON numbers by value; NaN sorts below every other number.</summary>
    public static int Compare(BsonValue x, BsonValue y)
    {
        if (x.IsDecimal128 || y.IsDecimal128)
        {
            if (TryToDecimal(x, out var dx) && TryToDecimal(y, out var dy))
            {
                return dx.CompareTo(dy);
            }
        }
        else if (IsIntegral(x) && IsIntegral(y))
        {
            return x.ToInt64().CompareTo(y.ToInt64());
        }

        // double.CompareTo already orders NaN first and treats NaN as equal to NaN.
        return ToDouble(x).CompareTo(ToDouble(y));
    }

    /// <summary>Adds two numbers.</summary>
    public static BsonValue Add(BsonValue x, BsonValue y) =>
        Combine(x, y, static (a, b) => a + b, static (a, b) => a + b, static (a, b) => checked(a + b));

    /// <summary>Subtracts <paramref name="y"/> from <paramref name="x"/>.</summary>
    public static BsonValue Subtract(BsonValue x, BsonValue y) =>
        Combine(x, y, static (a, b) => a - b, static (a, b) => a - b, static (a, b) => checked(a - b));

    /// <summary>Multiplies two numbers.</summary>
    public static BsonValue Multiply(BsonValue x, BsonValue y) =>
        Combine(x, y, static (a, b) => a * b, static (a, b) => a * b, static (a, b) => checked(a * b));

    /// <summary>Divides <paramref name="x"/> by <paramref name="y"/>; the result is a double unless a Decimal128 is involved.</summary>
    public static BsonValue Divide(BsonValue x, BsonValue y)
    {
        if (ToDouble(y) == 0)
        {
            throw Commands.ServerErrors.BadValue("can't $divide by zero");
        }

        if ((x.IsDecimal128 || y.IsDecimal128) && TryToDecimal(x, out var dx) && TryToDecimal(y, out var dy))
        {
            return new BsonDecimal128(new Decimal128(dx / dy));
        }

        return new BsonDouble(ToDouble(x) / ToDouble(y));
    }

    /// <summary>Returns the zero of the same BSON numeric type as <paramref name="like"/>.</summary>
    public static BsonValue ZeroLike(BsonValue like) => like.BsonType switch
    {
        BsonType.Int64 => new BsonInt64(0),
        BsonType.Double => new BsonDouble(0),
        BsonType.Decimal128 => new BsonDecimal128(Decimal128.Zero),
        _ => new BsonInt32(0),
    };

    private static bool IsIntegral(BsonValue value) => value.BsonType is BsonType.Int32 or BsonType.Int64;

    private static bool TryToDecimal(BsonValue value, out decimal result)
    {
        try
        {
            result = value.IsDecimal128 ? Decimal128.ToDecimal(value.AsDecimal128) : IsIntegral(value) ? value.ToInt64() : (decimal)ToDouble(value);
            return true;
        }
        catch (OverflowException)
        {
            result = 0;
            return false;
        }
    }

    private static BsonValue Combine(
        BsonValue x,
        BsonValue y,
        Func<decimal, decimal, decimal> decimalOp,
        Func<double, double, double> doubleOp,
        Func<long, long, long> longOp)
    {
        if (x.IsDecimal128 || y.IsDecimal128)
        {
            if (TryToDecimal(x, out var dx) && TryToDecimal(y, out var dy))
            {
                try
                {
                    return new BsonDecimal128(new Decimal128(decimalOp(dx, dy)));
                }
                catch (OverflowException)
                {
                    // out of System.Decimal's range: fall through to double precision
                }
            }

            return new BsonDecimal128(new Decimal128(doubleOp(ToDouble(x), ToDouble(y))));
        }

        if (x.IsDouble || y.IsDouble)
        {
            return new BsonDouble(doubleOp(ToDouble(x), ToDouble(y)));
        }

        long result;
        try
        {
            result = longOp(x.ToInt64(), y.ToInt64());
        }
        catch (OverflowException)
        {
            return new BsonDouble(doubleOp(ToDouble(x), ToDouble(y)));
        }

        return x.IsInt32 && y.IsInt32 && result is >= int.MinValue and <= int.MaxValue
            ? new BsonInt32((int)result)
            : new BsonInt64(result);
    }
}
