using System.Globalization;
using System.Text.Json;
using Conduit.Postgres;

namespace Conduit.Silo.Api;

/// <summary>
/// Writes PostgreSQL results as JSON without losing a value. The rules, by PostgreSQL type:
/// <list type="bullet">
/// <item>bool → true/false; int2, int4, int8, oid → JSON numbers (int8 is exact in the JSON text; JavaScript's
/// JSON.parse rounds past 2^53, so read such columns with a big-integer aware parser or cast them to text).</item>
/// <item>numeric and money → always a JSON string with PostgreSQL's exact text ("12.50", "0.000001",
/// "NaN", "Infinity"), so the scale and every digit survive whatever the client's number type.</item>
/// <item>float4, float8 → JSON numbers (shortest text that reads back to the same float); NaN, Infinity,
/// -Infinity → the strings "NaN", "Infinity", "-Infinity" (JSON has no such numbers).</item>
/// <item>text, varchar, char(n), name, xml, "char" → strings; json, jsonb → the JSON itself, embedded.</item>
/// <item>uuid → "xxxxxxxx-xxxx-…"; date → "yyyy-MM-dd"; time → "HH:mm:ss.ffffff"; timetz → "HH:mm:ss.ffffff+hh:mm";
/// timestamptz → "yyyy-MM-ddTHH:mm:ss.ffffffZ" (UTC); timestamp → the same without Z; fractional digits only as
/// many as needed; infinity/-infinity dates and timestamps → "infinity"/"-infinity".</item>
/// <item>interval → an ISO 8601 duration as PostgreSQL's <c>IntervalStyle iso_8601</c> prints it ("P1Y2M3DT4H5M6.5S"),
/// months, days and time kept apart.</item>
/// <item>bytea → base64; arrays → JSON arrays (nested for more dimensions) of the element rule, null for NULL.</item>
/// </list>
/// </summary>
public static class PgJson
{
    /// <summary>A <see cref="PgResult"/> as <c>{"columns":[{"name","type"}],"rows":[[…]],"rowsAffected":n}</c>.</summary>
    public static void WriteResult(Utf8JsonWriter writer, PgResult result)
    {
        ArgumentNullException.ThrowIfNull(writer);
        ArgumentNullException.ThrowIfNull(result);
        var json = new bool[result.Columns.Count];
        writer.WriteStartObject();
        writer.WriteStartArray("columns");
        for (var i = 0; i < result.Columns.Count; i++)
        {
            var column = result.Columns[i];
            json[i] = IsJsonType(column.Type);
            writer.WriteStartObject();
            writer.WriteString("name", column.Name);
            writer.WriteString("type", column.Type);
            writer.WriteEndObject();
        }

        writer.WriteEndArray();
        writer.WriteStartArray("rows");
        foreach (var row in result.Rows)
        {
            writer.WriteStartArray();
            for (var i = 0; i < row.Length; i++)
            {
                WriteValue(writer, row[i], i < json.Length && json[i]);
            }

            writer.WriteEndArray();
        }

        writer.WriteEndArray();
        writer.WriteNumber("rowsAffected", result.RowsAffected);
        writer.WriteEndObject();
    }

    /// <summary>A <see cref="PgTransactionResult"/> as <c>{"results":[…]}</c>, one result per statement.</summary>
    public static void WriteTransaction(Utf8JsonWriter writer, PgTransactionResult result)
    {
        ArgumentNullException.ThrowIfNull(writer);
        ArgumentNullException.ThrowIfNull(result);
        writer.WriteStartObject();
        writer.WriteStartArray("results");
        foreach (var statement in result.Results)
        {
            WriteResult(writer, statement);
        }

        writer.WriteEndArray();
        writer.WriteEndObject();
    }

    /// <summary>One value by the rules above; <paramref name="json"/> embeds strings as JSON (json/jsonb columns).</summary>
    public static void WriteValue(Utf8JsonWriter writer, object? value, bool json)
    {
        ArgumentNullException.ThrowIfNull(writer);
        switch (value)
        {
            case null:
                writer.WriteNullValue();
                break;
            case bool b:
                writer.WriteBooleanValue(b);
                break;
            case short s:
                writer.WriteNumberValue(s);
                break;
            case int i:
                writer.WriteNumberValue(i);
                break;
            case long l:
                writer.WriteNumberValue(l);
                break;
            case uint u:
                writer.WriteNumberValue(u);
                break;
            case float f when float.IsFinite(f):
                writer.WriteNumberValue(f);
                break;
            case float f:
                writer.WriteStringValue(NonFinite(f));
                break;
            case double d when double.IsFinite(d):
                writer.WriteNumberValue(d);
                break;
            case double d:
                writer.WriteStringValue(NonFinite(d));
                break;
            case decimal m:
                writer.WriteStringValue(m.ToString(CultureInfo.InvariantCulture));
                break;
            case PgNumeric n:
                writer.WriteStringValue(n.Value);
                break;
            case string text when json:
                writer.WriteRawValue(text);
                break;
            case string text:
                writer.WriteStringValue(text);
                break;
            case char c:
                writer.WriteStringValue(c.ToString());
                break;
            case Guid g:
                writer.WriteStringValue(g);
                break;
            case DateOnly date:
                writer.WriteStringValue(date == DateOnly.MaxValue ? "infinity" : date == DateOnly.MinValue ? "-infinity" : date.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture));
                break;
            case TimeOnly time:
                writer.WriteStringValue(time.ToString("HH:mm:ss.FFFFFFF", CultureInfo.InvariantCulture));
                break;
            case DateTime instant:
                writer.WriteStringValue(Timestamp(instant));
                break;
            case DateTimeOffset timeWithZone:
                writer.WriteStringValue(timeWithZone.ToString("HH:mm:ss.FFFFFFFzzz", CultureInfo.InvariantCulture));
                break;
            case PgInterval interval:
                writer.WriteStringValue(interval.ToString());
                break;
            case byte[] bytes:
                writer.WriteBase64StringValue(bytes);
                break;
            case Array array:
                WriteArray(writer, array, json, 0, new int[array.Rank]);
                break;
            default:
                writer.WriteStringValue(Convert.ToString(value, CultureInfo.InvariantCulture));
                break;
        }
    }

    /// <summary>True for <c>json</c>, <c>jsonb</c> and their arrays, whose text values are embedded rather than quoted.</summary>
    public static bool IsJsonType(string type) => type is "json" or "jsonb" or "json[]" or "jsonb[]";

    private static string Timestamp(DateTime value)
    {
        if (value.Ticks == DateTime.MaxValue.Ticks)
        {
            return "infinity";
        }

        if (value.Ticks == DateTime.MinValue.Ticks)
        {
            return "-infinity";
        }

        return value.ToString(value.Kind == DateTimeKind.Utc ? "yyyy-MM-dd'T'HH:mm:ss.FFFFFFF'Z'" : "yyyy-MM-dd'T'HH:mm:ss.FFFFFFF", CultureInfo.InvariantCulture);
    }

    private static string NonFinite(double value) => double.IsNaN(value) ? "NaN" : value > 0 ? "Infinity" : "-Infinity";

    private static void WriteArray(Utf8JsonWriter writer, Array array, bool json, int dimension, int[] index)
    {
        writer.WriteStartArray();
        for (var i = 0; i < array.GetLength(dimension); i++)
        {
            index[dimension] = i;
            if (dimension < array.Rank - 1)
            {
                WriteArray(writer, array, json, dimension + 1, index);
            }
            else
            {
                WriteValue(writer, array.GetValue(index), json);
            }
        }

        writer.WriteEndArray();
    }
}
