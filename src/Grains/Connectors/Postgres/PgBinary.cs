using System.Buffers.Binary;
using System.Globalization;
using System.Text;
using Conduit.Postgres;

namespace Conduit.Connectors.Postgres;

/// <summary>
/// Decodes PostgreSQL's binary wire format for the types Npgsql cannot hand over losslessly: <c>numeric</c>
/// (Npgsql's <see cref="decimal"/> overflows past 28 digits and has no NaN/Infinity) and <c>interval</c>
/// in arrays (Npgsql's <see cref="TimeSpan"/> cannot hold months), and the array container around them.
/// </summary>
public static class PgBinary
{
    private const ushort NumericPositive = 0x0000;
    private const ushort NumericNegative = 0x4000;
    private const ushort NumericNaN = 0xC000;
    private const ushort NumericPositiveInfinity = 0xD000;
    private const ushort NumericNegativeInfinity = 0xF000;

    /// <summary>A <c>numeric</c> as <see cref="decimal"/> when that holds it exactly (scale included), else as <see cref="PgNumeric"/>.</summary>
    public static object ReadNumeric(ReadOnlySpan<byte> data) => NumericValue(NumericText(data));

    /// <summary>PostgreSQL's text of a numeric as <see cref="decimal"/> when that holds it exactly (scale included), else as <see cref="PgNumeric"/>.</summary>
    public static object NumericValue(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        return decimal.TryParse(text, NumberStyles.AllowLeadingSign | NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var value)
            && value.ToString(CultureInfo.InvariantCulture) == text
                ? value
                : new PgNumeric(text);
    }

    /// <summary>PostgreSQL's own text for a binary <c>numeric</c>: digits, the declared scale, <c>NaN</c>, <c>Infinity</c>, <c>-Infinity</c>.</summary>
    public static string NumericText(ReadOnlySpan<byte> data)
    {
        if (data.Length < 8)
        {
            throw new FormatException("A numeric value is shorter than its 8-byte header.");
        }

        int digitCount = BinaryPrimitives.ReadInt16BigEndian(data);
        int weight = BinaryPrimitives.ReadInt16BigEndian(data[2..]);
        var sign = BinaryPrimitives.ReadUInt16BigEndian(data[4..]);
        int scale = BinaryPrimitives.ReadInt16BigEndian(data[6..]);
        switch (sign)
        {
            case NumericNaN: return "NaN";
            case NumericPositiveInfinity: return "Infinity";
            case NumericNegativeInfinity: return "-Infinity";
            case NumericPositive or NumericNegative: break;
            default: throw new FormatException($"A numeric value has an unknown sign 0x{sign:X4}.");
        }

        if (data.Length < 8 + (2 * digitCount))
        {
            throw new FormatException("A numeric value is shorter than its digits.");
        }

        // Base-10000 digits; digit i is worth 10000^(weight - i).
        var text = new StringBuilder(((digitCount + 1) * 4) + scale + 2);
        if (sign == NumericNegative)
        {
            text.Append('-');
        }

        if (weight < 0)
        {
            text.Append('0');
        }
        else
        {
            for (var i = 0; i <= weight; i++)
            {
                var digit = i < digitCount ? BinaryPrimitives.ReadInt16BigEndian(data[(8 + (2 * i))..]) : 0;
                text.Append(i == 0 ? digit.ToString(CultureInfo.InvariantCulture) : digit.ToString("D4", CultureInfo.InvariantCulture));
            }
        }

        if (scale > 0)
        {
            text.Append('.');
            var fraction = new StringBuilder();
            for (var i = weight + 1; fraction.Length < scale; i++)
            {
                var digit = i >= 0 && i < digitCount ? BinaryPrimitives.ReadInt16BigEndian(data[(8 + (2 * i))..]) : 0;
                fraction.Append(digit.ToString("D4", CultureInfo.InvariantCulture));
            }

            text.Append(fraction, 0, scale);
        }

        return text.ToString();
    }

    /// <summary>An <c>interval</c>: microseconds (int64), days (int32), months (int32).</summary>
    public static PgInterval ReadInterval(ReadOnlySpan<byte> data)
    {
        if (data.Length != 16)
        {
            throw new FormatException("An interval value is not 16 bytes long.");
        }

        return new PgInterval(BinaryPrimitives.ReadInt32BigEndian(data[12..]), BinaryPrimitives.ReadInt32BigEndian(data[8..]), BinaryPrimitives.ReadInt64BigEndian(data));
    }

    /// <summary>
    /// An array of any number of dimensions as a CLR array of <typeparamref name="T"/> with the same rank
    /// (lower bounds become 0; an empty array is a one-dimensional empty array); NULL elements are null.
    /// </summary>
    public static Array ReadArray<T>(ReadOnlySpan<byte> data, Func<ReadOnlySpan<byte>, T> readElement)
    {
        ArgumentNullException.ThrowIfNull(readElement);
        var rank = BinaryPrimitives.ReadInt32BigEndian(data);
        if (rank == 0)
        {
            return Array.Empty<T>();
        }

        var lengths = new int[rank];
        var offset = 12;
        for (var d = 0; d < rank; d++)
        {
            lengths[d] = BinaryPrimitives.ReadInt32BigEndian(data[offset..]);
            offset += 8;
        }

        var array = Array.CreateInstance(typeof(T), lengths);
        var index = new int[rank];
        for (var n = 0; n < array.Length; n++)
        {
            var length = BinaryPrimitives.ReadInt32BigEndian(data[offset..]);
            offset += 4;
            if (length >= 0)
            {
                array.SetValue(readElement(data.Slice(offset, length)), index);
                offset += length;
            }

            // Row-major order: the last dimension varies fastest.
            for (var d = rank - 1; d >= 0 && ++index[d] == lengths[d]; d--)
            {
                index[d] = 0;
            }
        }

        return array;
    }
}
