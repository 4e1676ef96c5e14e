using Conduit.Errors;
using Conduit.Postgres;
using Npgsql;
using NpgsqlTypes;

namespace Conduit.Connectors.Postgres;

/// <summary>
/// Reads result rows into the contract's values (see <see cref="PgResult"/>): Npgsql's own types where they
/// are lossless, PostgreSQL's binary format where they are not (numeric, interval arrays), and a coded
/// refusal for a type that no Orleans client could receive.
/// </summary>
internal static class PgResultReader
{
    private const uint NumericOid = 1700;
    private const uint NumericArrayOid = 1231;
    private const uint IntervalOid = 1186;
    private const uint IntervalArrayOid = 1187;

    private static readonly HashSet<Type> Carried =
    [
        typeof(bool), typeof(short), typeof(int), typeof(long), typeof(uint), typeof(float), typeof(double), typeof(decimal),
        typeof(string), typeof(char), typeof(Guid), typeof(DateOnly), typeof(TimeOnly), typeof(DateTime), typeof(DateTimeOffset), typeof(byte[]),
    ];

    /// <summary>Reads the reader's current result set into <paramref name="rows"/>, taking each row from <paramref name="budget"/>.</summary>
    public static async Task<IReadOnlyList<PgColumn>> ReadAsync(NpgsqlDataReader reader, List<object?[]> rows, PgRowBudget budget, string prefix, CancellationToken cancellationToken)
    {
        var count = reader.FieldCount;
        var columns = new PgColumn[count];
        var readers = new Func<NpgsqlDataReader, int, object?>[count];
        for (var i = 0; i < count; i++)
        {
            columns[i] = new PgColumn(reader.GetName(i), reader.GetDataTypeName(i));
            readers[i] = ReaderFor(reader.GetDataTypeOID(i));
        }

        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            budget.Take(prefix);
            var row = new object?[count];
            for (var i = 0; i < count; i++)
            {
                row[i] = reader.IsDBNull(i) ? null : Read(reader, i, readers[i], columns[i], prefix);
            }

            rows.Add(row);
        }

        return columns;
    }

    private static object? Read(NpgsqlDataReader reader, int ordinal, Func<NpgsqlDataReader, int, object?> read, PgColumn column, string prefix)
    {
        object? value;
        try
        {
            value = read(reader, ordinal);
        }
        catch (Exception e) when (e is InvalidCastException or OverflowException or FormatException)
        {
            // E.g. a timestamp outside DateTime's years 1–9999: refuse rather than round or clamp it.
            throw new ConduitException(ErrorCodes.InvalidRequest, $"{prefix}column '{column.Name}' ({column.Type}) holds a value .NET cannot represent ({e.Message}). Cast it in SQL, e.g. {column.Name}::text.");
        }

        if (value is null || IsCarried(value.GetType()))
        {
            return value;
        }

        throw new ConduitException(ErrorCodes.InvalidRequest, $"{prefix}column '{column.Name}' has PostgreSQL type {column.Type}, which Conduit does not carry. Cast it in SQL, e.g. {column.Name}::text.");
    }

    private static bool IsCarried(Type type)
    {
        if (type.IsArray && type != typeof(byte[]))
        {
            type = type.GetElementType()!;
            type = Nullable.GetUnderlyingType(type) ?? type;
        }

        return Carried.Contains(type) || type == typeof(PgNumeric) || type == typeof(PgInterval);
    }

    private static Func<NpgsqlDataReader, int, object?> ReaderFor(uint oid) => oid switch
    {
        NumericOid => static (r, i) => PgBinary.ReadNumeric(Raw(r, i)),
        NumericArrayOid => static (r, i) => NumericArray(PgBinary.ReadArray(Raw(r, i), static d => PgBinary.NumericText(d))),
        IntervalOid => static (r, i) => ToInterval(r.GetFieldValue<NpgsqlInterval>(i)),
        IntervalArrayOid => static (r, i) => PgBinary.ReadArray<PgInterval?>(Raw(r, i), static d => PgBinary.ReadInterval(d)),
        _ => static (r, i) => r.GetValue(i),
    };

    private static PgInterval ToInterval(NpgsqlInterval value) => new(value.Months, value.Days, value.Time);

    private static byte[] Raw(NpgsqlDataReader reader, int ordinal)
    {
        // Npgsql hands out any column's binary wire value as a stream of known length; the row is buffered already.
        using var stream = reader.GetStream(ordinal);
        var bytes = new byte[stream.Length];
        stream.ReadExactly(bytes);
        return bytes;
    }

    private static Array NumericArray(Array texts)
    {
        foreach (string? text in texts)
        {
            if (text is not null && PgBinary.NumericValue(text) is not decimal)
            {
                return PgArrays.Map<string?, PgNumeric?>(texts, static t => t is null ? null : new PgNumeric(t));
            }
        }

        return PgArrays.Map<string?, decimal?>(texts, static t => t is null ? null : (decimal)PgBinary.NumericValue(t));
    }
}
