using System.Globalization;
using System.Text.Json;
using Conduit.Errors;

namespace Conduit.Silo.Api;

/// <summary>Turns JSON request values into the CLR values the drivers bind.</summary>
public static class JsonValues
{
    /// <summary>A SQL parameter: numbers become int, long or decimal (exact), strings stay strings, arrays become typed arrays.</summary>
    public static object? ToParameter(JsonElement element, string field) => element.ValueKind switch
    {
        JsonValueKind.Null or JsonValueKind.Undefined => null,
        JsonValueKind.True => true,
        JsonValueKind.False => false,
        JsonValueKind.String => element.GetString(),
        JsonValueKind.Number => ToNumber(element),
        JsonValueKind.Array => ToArray(element, field),
        _ => throw new ConduitException(ErrorCodes.InvalidRequest, $"{field}: JSON objects cannot be bound directly; pass the JSON as a string and cast it in SQL ($1::jsonb)."),
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

    private static object ToNumber(JsonElement element)
    {
        if (element.TryGetInt32(out var i))
        {
            return i;
        }

        if (element.TryGetInt64(out var l))
        {
            return l;
        }

        return element.TryGetDecimal(out var d) ? d : element.GetDouble();
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

        if (types.All(t => t == typeof(int) || t == typeof(long) || t == typeof(decimal) || t == typeof(double)))
        {
            if (types.All(t => t == typeof(int)))
            {
                return items.Select(v => (int?)v).ToArray();
            }

            if (types.All(t => t == typeof(int) || t == typeof(long)))
            {
                return items.Select(v => v is null ? (long?)null : Convert.ToInt64(v, CultureInfo.InvariantCulture)).ToArray();
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

        throw new ConduitException(ErrorCodes.InvalidRequest, $"{field}: array elements must all be numbers, all strings or all booleans.");
    }
}
