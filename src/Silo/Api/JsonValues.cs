using System.Globalization;
using System.Text.Json;
using Conduit.Errors;
using Conduit.Postgres;

namespace Conduit.Silo.Api;

/// <summary>Turns JSON request values into the CLR values the drivers bind.</summary>
public static class JsonValues
{
    /// <summary>
    /// A SQL parameter. Numbers become <see cref="int"/>, <see cref="long"/> or <see cref="decimal"/> when that holds
    /// the JSON number exactly, else a <see cref="PgNumeric"/> with the number's own text (sent untyped, so PostgreSQL
    /// reads every digit); strings stay strings (text); arrays become typed arrays; an object is a typed parameter
    /// <c>{"type":"uuid","value":"…"}</c> (see <see cref="PgParameterTypes"/>).
    /// </summary>
    public static object? ToParameter(JsonElement element, string field) => element.ValueKind switch
    {
        JsonValueKind.Null or JsonValueKind.Undefined => null,
        JsonValueKind.True => true,
        JsonValueKind.False => false,
        JsonValueKind.String => element.GetString(),
        JsonValueKind.Number => ToNumber(element),
        JsonValueKind.Array => ToArray(element, field),
        _ => PgParameterTypes.ToTypedValue(element, field),
    };

    /// <summary>A Redis argument: strings as they are, numbers in their JSON spelling, booleans as 1/0.</summary>
    public static string ToRedisArgument(JsonElement element, string field) => element.ValueKind switch
    {
        JsonValueKind.String => element.GetString()!,
        JsonValueKind.Number => element.GetRawText(),
        JsonValueKind.True => "1",
        JsonValueKind.False => "0",
        _ => throw new ConduitException(ErrorCodes.InvalidRequest, $"{field}: Redis arguments must be strings or numbers."),
    };

    /// <summary>A JSON number as <see cref="int"/>, <see cref="long"/>, exact <see cref="decimal"/>, or <see cref="PgNumeric"/> with its text.</summary>
    public static object ToNumber(JsonElement element)
    {
        if (element.TryGetInt32(out var i))
        {
            return i;
        }

        if (element.TryGetInt64(out var l))
        {
            return l;
        }

        var text = element.GetRawText();
        return element.TryGetDecimal(out var d) && SameNumber(text, d.ToString(CultureInfo.InvariantCulture)) ? d : new PgNumeric(text);
    }

    /// <summary>True when two decimal spellings (optionally with an exponent) denote the same value: decimal rounds past 28 digits without saying so.</summary>
    internal static bool SameNumber(string a, string b) => Canonical(a) == Canonical(b);

    private static string Canonical(string number)
    {
        var span = number.AsSpan().Trim();
        var negative = span.StartsWith("-");
        span = span.TrimStart("+-");
        var exponent = 0;
        var e = span.IndexOfAny('e', 'E');
        if (e >= 0)
        {
            if (!int.TryParse(span[(e + 1)..], NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out exponent))
            {
                return number;
            }

            span = span[..e];
        }

        var point = span.IndexOf('.');
        var digits = point < 0 ? span.ToString() : string.Concat(span[..point], span[(point + 1)..]);
        exponent -= point < 0 ? 0 : span.Length - point - 1;
        var trimmed = digits.TrimStart('0');
        if (trimmed.Length == 0)
        {
            return "0";
        }

        var significant = trimmed.TrimEnd('0');
        exponent += trimmed.Length - significant.Length;
        return $"{(negative ? "-" : string.Empty)}{significant}e{exponent}";
    }

    private static object? ToArray(JsonElement element, string field)
    {
        var items = element.EnumerateArray().Select((e, i) => ToParameter(e, $"{field}[{i}]")).ToList();
        if (items.Count == 0)
        {
            return Array.Empty<string>();
        }

        var types = items.Where(v => v is not null).Select(v => v!.GetType()).Distinct().ToList();
        if (types.Count == 0)
        {
            return items.Select(_ => (string?)null).ToArray();
        }

        if (types.All(t => t == typeof(int) || t == typeof(long) || t == typeof(decimal) || t == typeof(PgNumeric)))
        {
            if (types.All(t => t == typeof(int)))
            {
                return items.Select(v => (int?)v).ToArray();
            }

            if (types.All(t => t == typeof(int) || t == typeof(long)))
            {
                return items.Select(v => v is null ? (long?)null : Convert.ToInt64(v, CultureInfo.InvariantCulture)).ToArray();
            }

            if (types.Contains(typeof(PgNumeric)))
            {
                return items.Select(v => v is null ? null : v as PgNumeric ?? new PgNumeric(Convert.ToString(v, CultureInfo.InvariantCulture)!)).ToArray();
            }

            return items.Select(v => v is null ? (decimal?)null : Convert.ToDecimal(v, CultureInfo.InvariantCulture)).ToArray();
        }

        if (types.Count == 1 && types[0] == typeof(string))
        {
            return items.Select(v => (string?)v).ToArray();
        }

        if (types.Count == 1 && types[0] == typeof(bool))
        {
            return items.Select(v => (bool?)v).ToArray();
        }

        throw new ConduitException(ErrorCodes.InvalidRequest, $"{field}: array elements must all be numbers, all strings or all booleans; for other element types use a typed parameter such as {{\"type\":\"uuid[]\",\"value\":[…]}}.");
    }
}
