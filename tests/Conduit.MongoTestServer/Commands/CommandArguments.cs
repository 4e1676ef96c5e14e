using MongoDB.Bson;

namespace Conduit.MongoTestServer.Commands;

/// <summary>Typed, validated access to command fields, failing with the server's error codes.</summary>
internal static class CommandArguments
{
    /// <summary>Returns the string value of the command's first field: the collection name.</summary>
    public static string CollectionName(this BsonDocument command)
    {
        var first = command.GetElement(0);
        if (first.Value is not BsonString name || name.Value.Length == 0)
        {
            throw ServerErrors.InvalidNamespace($"collection name has invalid type {first.Value.BsonType}");
        }

        return name.Value;
    }

    /// <summary>Returns an optional sub-document, or <see langword="null"/> when absent or null.</summary>
    public static BsonDocument? OptionalDocument(this BsonDocument command, string name)
    {
        if (!command.TryGetValue(name, out var value) || value.IsBsonNull)
        {
            return null;
        }

        return value as BsonDocument ?? throw ServerErrors.TypeMismatch($"BSON field '{name}' is the wrong type '{value.BsonType}', expected type 'object'");
    }

    /// <summary>Returns a required array field.</summary>
    public static BsonArray RequiredArray(this BsonDocument command, string name)
    {
        if (!command.TryGetValue(name, out var value))
        {
            throw ServerErrors.FailedToParse($"BSON field '{name}' is missing but a required field");
        }

        return value as BsonArray ?? throw ServerErrors.TypeMismatch($"BSON field '{name}' is the wrong type '{value.BsonType}', expected type 'array'");
    }

    /// <summary>Returns an optional boolean; numbers count as true when non-zero.</summary>
    public static bool OptionalBool(this BsonDocument command, string name, bool defaultValue = false)
    {
        if (!command.TryGetValue(name, out var value) || value.IsBsonNull)
        {
            return defaultValue;
        }

        return value.IsBoolean ? value.AsBoolean : value.IsNumeric ? value.ToDouble() != 0 : throw ServerErrors.TypeMismatch($"BSON field '{name}' is the wrong type '{value.BsonType}', expected type 'bool'");
    }

    /// <summary>Returns an optional non-negative-or-not integer.</summary>
    public static long? OptionalLong(this BsonDocument command, string name)
    {
        if (!command.TryGetValue(name, out var value) || value.IsBsonNull)
        {
            return null;
        }

        return value.IsNumeric ? value.ToInt64() : throw ServerErrors.TypeMismatch($"BSON field '{name}' is the wrong type '{value.BsonType}', expected a number");
    }

    /// <summary>Returns an optional non-negative integer.</summary>
    public static long? OptionalNonNegative(this BsonDocument command, string name)
    {
        var value = command.OptionalLong(name);
        return value < 0 ? throw ServerErrors.BadValue($"{name} value must be non-negative, but received: {value}") : value;
    }
}
