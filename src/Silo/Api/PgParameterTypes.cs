using System.Globalization;
using System.Text.Json;
using Conduit.Errors;
using Conduit.Postgres;

namespace Conduit.Silo.Api;

/// <summary>
/// Typed SQL parameters in JSON: <c>{"type":"uuid","value":"…"}</c>, for values plain JSON cannot say (bytea,
/// jsonb, exact timestamps) or when the statement needs the parameter's type (<c>insert into t (id) values ($1)</c>
/// with a uuid column). Array types end in <c>[]</c> and take a JSON array (one dimension, nulls allowed).
/// </summary>
/// <remarks>
/// Types and their JSON values: <c>text</c> string; <c>bool</c> true/false; <c>int2</c>, <c>int4</c>, <c>int8</c> integers;
/// <c>float4</c>, <c>float8</c> numbers or "NaN"/"Infinity"/"-Infinity"; <c>numeric</c> a number or a numeric string
/// (kept exact); <c>uuid</c> string; <c>date</c> "yyyy-MM-dd" or "infinity"/"-infinity"; <c>time</c> "HH:mm:ss[.ffffff]";
/// <c>timestamp</c> ISO 8601 without offset; <c>timestamptz</c> ISO 8601 with an offset or Z (without one it is UTC);
/// <c>interval</c> an ISO 8601 duration ("P1Y2M3DT4H5M6.5S"); <c>bytea</c> base64; <c>json</c>, <c>jsonb</c> any JSON value.
/// Aliases: boolean, smallint, integer/int, bigint, real, double precision, decimal, varchar.
/// </remarks>
public static class PgParameterTypes
{
    private static readonly Dictionary<string, string> Aliases = new(StringComparer.OrdinalIgnoreCase)
    {
        ["text"] = "text", ["varchar"] = "text", ["bool"] = "bool", ["boolean"] = "bool",
        ["int2"] = "int2", ["smallint"] = "int2", ["int4"] = "int4", ["int"] = "int4", ["integer"] = "int4", ["int8"] = "int8", ["bigint"] = "int8",
        ["float4"] = "float4", ["real"] = "float4", ["float8"] = "float8", ["double precision"] = "float8",
        ["numeric"] = "numeric", ["decimal"] = "numeric", ["uuid"] = "uuid", ["date"] = "date", ["time"] = "time",
        ["timestamp"] = "timestamp", ["timestamptz"] = "timestamptz", ["interval"] = "interval", ["bytea"] = "bytea",
        ["json"] = "json", ["jsonb"] = "jsonb",
    };

    /// <summary>The type names accepted, for messages.</summary>
    public const string Names = "text, bool, int2, int4, int8, float4, float8, numeric, uuid, date, time, timestamp, timestamptz, interval, bytea, json, jsonb (or any of them with [])";

    /// <summary>Reads <c>{"type":…,"value":…}</c> into a <see cref="PgTypedValue"/> (or a <see cref="PgNumeric"/> for an inexact numeric).</summary>
    public static object? ToTypedValue(JsonElement element, string field)
    {
        if (element.ValueKind != JsonValueKind.Object)
        {
            throw Invalid(field, "expected a JSON value or a typed parameter {\"type\":…,\"value\":…}.");
        }

        string? type = null;
        JsonElement? value = null;
        foreach (var property in element.EnumerateObject())
        {
            switch (property.Name)
            {
                case "type" when property.Value.ValueKind == JsonValueKind.String:
                    type = property.Value.GetString();
                    break;
                case "value":
                    value = property.Value;
                    break;
                default:
                    throw Invalid(field, $"a typed parameter has only \"type\" (a string) and \"value\"; got \"{property.Name}\". To send a JSON object, use {{\"type\":\"jsonb\",\"value\":{{…}}}}.");
            }
        }

        if (string.IsNullOrWhiteSpace(type))
        {
            throw Invalid($"{field}.type", $"a PostgreSQL type name is required: one of {Names}.");
        }

        if (value is null)
        {
            throw Invalid($"{field}.value", "the value is required (use null for SQL NULL).");
        }

        var isArray = type.EndsWith("[]", StringComparison.Ordinal);
        if (!Aliases.TryGetValue(isArray ? type[..^2].Trim() : type.Trim(), out var canonical))
        {
            throw Invalid($"{field}.type", $"'{type}' is not a supported parameter type: use one of {Names}, or send a string and cast it in SQL ($1::{type}).");
        }

        var at = $"{field}.value";
        if (!isArray)
        {
            var scalar = Convert(canonical, value.Value, at);
            return scalar is PgNumeric ? scalar : new PgTypedValue(canonical, scalar);
        }

        if (value.Value.ValueKind == JsonValueKind.Null)
        {
            return new PgTypedValue(canonical + "[]", null);
        }

        if (value.Value.ValueKind != JsonValueKind.Array)
        {
            throw Invalid(at, $"a {canonical}[] parameter takes a JSON array.");
        }

        var items = value.Value.EnumerateArray().Select((e, i) => Convert(canonical, e, $"{at}[{i}]")).ToList();
        if (canonical == "numeric" && items.Any(i => i is PgNumeric))
        {
            // Sent as an untyped array literal, so no element is rounded to fit decimal.
            return items.Select(i => i is null ? null : i as PgNumeric ?? new PgNumeric(((decimal)i).ToString(CultureInfo.InvariantCulture))).ToArray();
        }

        return new PgTypedValue(canonical + "[]", ToTypedArray(canonical, items));
    }

    private static Array ToTypedArray(string type, List<object?> items) => type switch
    {
        "bool" => items.Select(i => (bool?)i).ToArray(),
        "int2" => items.Select(i => (short?)i).ToArray(),
        "int4" => items.Select(i => (int?)i).ToArray(),
        "int8" => items.Select(i => (long?)i).ToArray(),
        "float4" => items.Select(i => (float?)i).ToArray(),
        "float8" => items.Select(i => (double?)i).ToArray(),
        "numeric" => items.Select(i => (decimal?)i).ToArray(),
        "uuid" => items.Select(i => (Guid?)i).ToArray(),
        "date" => items.Select(i => (DateOnly?)i).ToArray(),
        "time" => items.Select(i => (TimeOnly?)i).ToArray(),
        "timestamp" or "timestamptz" => items.Select(i => (DateTime?)i).ToArray(),
        "interval" => items.Select(i => (PgInterval?)i).ToArray(),
        "bytea" => items.Select(i => (byte[]?)i).ToArray(),
        _ => items.Select(i => (string?)i).ToArray(),
    };

    private static object? Convert(string type, JsonElement value, string field)
    {
        if (value.ValueKind == JsonValueKind.Null)
        {
            return null;
        }

        if (type is "json" or "jsonb")
        {
            return value.GetRawText();
        }

        return type switch
        {
            "bool" when value.ValueKind is JsonValueKind.True or JsonValueKind.False => value.GetBoolean(),
            "int2" when value.ValueKind == JsonValueKind.Number && value.TryGetInt16(out var s) => s,
            "int4" when value.ValueKind == JsonValueKind.Number && value.TryGetInt32(out var i) => i,
            "int8" when value.ValueKind == JsonValueKind.Number && value.TryGetInt64(out var l) => l,
            "float4" => (float)Float(type, value, field),
            "float8" => Float(type, value, field),
            "numeric" => Numeric(value, field),
            _ when value.ValueKind != JsonValueKind.String => throw Invalid(field, $"{type} values must be {Expected(type)}."),
            _ => FromString(type, value.GetString()!, field),
        };
    }

    private static object FromString(string type, string text, string field)
    {
        switch (type)
        {
            case "text":
                return text;
            case "uuid" when Guid.TryParse(text, out var guid):
                return guid;
            case "date" when text == "infinity":
                return DateOnly.MaxValue;
            case "date" when text == "-infinity":
                return DateOnly.MinValue;
            case "date" when DateOnly.TryParseExact(text, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var date):
                return date;
            case "time" when TimeOnly.TryParseExact(text, ["HH:mm", "HH:mm:ss", "HH:mm:ss.FFFFFFF"], CultureInfo.InvariantCulture, DateTimeStyles.None, out var time):
                return time;
            case "timestamp" or "timestamptz" when text == "infinity":
                return type == "timestamptz" ? DateTime.SpecifyKind(DateTime.MaxValue, DateTimeKind.Utc) : DateTime.MaxValue;
            case "timestamp" or "timestamptz" when text == "-infinity":
                return type == "timestamptz" ? DateTime.SpecifyKind(DateTime.MinValue, DateTimeKind.Utc) : DateTime.MinValue;
            case "timestamp" when DateTime.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.RoundtripKind, out var local) && local.Kind == DateTimeKind.Unspecified:
                return local;
            case "timestamptz" when DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var instant):
                return instant.UtcDateTime;
            case "interval" when PgInterval.TryParse(text, out var interval):
                return interval;
            case "bytea":
                var bytes = new byte[text.Length * 3 / 4];
                return System.Convert.TryFromBase64String(text, bytes, out var written) ? bytes[..written] : throw Invalid(field, "bytea values must be base64.");
            default:
                throw Invalid(field, $"'{text}' is not a valid {type} value: expected {Expected(type)}.");
        }
    }

    private static double Float(string type, JsonElement value, string field)
    {
        double number;
        if (value.ValueKind == JsonValueKind.Number && value.TryGetDouble(out var d))
        {
            number = d;
        }
        else if (value.ValueKind == JsonValueKind.String && value.GetString() is "NaN" or "Infinity" or "-Infinity")
        {
            number = double.Parse(value.GetString()!, CultureInfo.InvariantCulture);
        }
        else
        {
            throw Invalid(field, $"{type} values must be {Expected(type)}.");
        }

        return number;
    }

    private static object Numeric(JsonElement value, string field)
    {
        if (value.ValueKind == JsonValueKind.Number)
        {
            var number = JsonValues.ToNumber(value);
            return number is PgNumeric ? number : System.Convert.ToDecimal(number, CultureInfo.InvariantCulture);
        }

        var text = value.ValueKind == JsonValueKind.String ? value.GetString()!.Trim() : null;
        if (text is "NaN" or "Infinity" or "-Infinity")
        {
            return new PgNumeric(text);
        }

        if (text is null || !IsDecimalText(text))
        {
            throw Invalid(field, $"numeric values must be {Expected("numeric")}.");
        }

        return decimal.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var exact) && JsonValues.SameNumber(text, exact.ToString(CultureInfo.InvariantCulture))
            ? exact
            : new PgNumeric(text);
    }

    private static bool IsDecimalText(string text)
    {
        var span = text.AsSpan().TrimStart("+-");
        var e = span.IndexOfAny('e', 'E');
        var mantissa = e < 0 ? span : span[..e];
        var digits = 0;
        var points = 0;
        foreach (var c in mantissa)
        {
            digits += char.IsAsciiDigit(c) ? 1 : 0;
            points += c == '.' ? 1 : 0;
        }

        return digits > 0 && points <= 1 && digits + points == mantissa.Length
            && (e < 0 || int.TryParse(span[(e + 1)..], NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out _));
    }

    private static string Expected(string type) => type switch
    {
        "bool" => "true or false",
        "int2" => "an integer from -32768 to 32767",
        "int4" => "an integer from -2147483648 to 2147483647",
        "int8" => "a 64-bit integer",
        "float4" or "float8" => "a number or \"NaN\", \"Infinity\", \"-Infinity\"",
        "numeric" => "a number or a string of one (\"12.50\", \"1e40\", \"NaN\")",
        "uuid" => "a UUID string",
        "date" => "\"yyyy-MM-dd\", \"infinity\" or \"-infinity\"",
        "time" => "\"HH:mm:ss\" with up to 6 fractional digits",
        "timestamp" => "an ISO 8601 date-time without an offset (\"2024-05-01T12:30:00.123456\")",
        "timestamptz" => "an ISO 8601 date-time with an offset or Z (\"2024-05-01T12:30:00Z\")",
        "interval" => "an ISO 8601 duration (\"P1Y2M3DT4H5M6.5S\")",
        "bytea" => "a base64 string",
        _ => "a string",
    };

    private static ConduitException Invalid(string field, string message) => new(ErrorCodes.InvalidRequest, $"{field}: {message}");
}
