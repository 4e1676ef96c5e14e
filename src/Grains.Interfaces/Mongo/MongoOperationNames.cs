namespace Conduit.Mongo;

/// <summary>The wire names of <see cref="MongoOperation"/> used by the REST API: MongoDB's own method names (<c>find</c>, <c>insertOne</c>…).</summary>
public static class MongoOperationNames
{
    private static readonly Dictionary<string, MongoOperation> ByName = Enum.GetValues<MongoOperation>()
        .ToDictionary(ToWireName, o => o, StringComparer.OrdinalIgnoreCase);

    /// <summary>Every wire name, in declaration order.</summary>
    public static IReadOnlyList<string> All { get; } = [.. Enum.GetValues<MongoOperation>().Select(ToWireName)];

    /// <summary>The camel-case wire name, e.g. <c>countDocuments</c>.</summary>
    public static string ToWireName(this MongoOperation operation)
    {
        if (!Enum.IsDefined(operation))
        {
            throw new ArgumentOutOfRangeException(nameof(operation), operation, "Unknown MongoDB operation.");
        }

        var name = operation.ToString();
        return string.Concat(char.ToLowerInvariant(name[0]).ToString(), name[1..]);
    }

    /// <summary>Parses a wire name (case-insensitive); returns false for anything else.</summary>
    public static bool TryParse(string? value, out MongoOperation operation) =>
        ByName.TryGetValue(value?.Trim() ?? string.Empty, out operation);

    /// <summary>
    /// Where an operation's <see cref="MongoResult.Documents"/> go in its JSON or BSON answer: <c>documents</c> (an array) for
    /// find, aggregate, listIndexes and listCollections, <c>document</c> (one or null) for findOneAndUpdate, null for the rest.
    /// </summary>
    public static string? DocumentsField(this MongoOperation operation) => operation switch
    {
        MongoOperation.Find or MongoOperation.Aggregate or MongoOperation.ListIndexes or MongoOperation.ListCollections => "documents",
        MongoOperation.FindOneAndUpdate => "document",
        _ => null,
    };

    /// <summary>True for operations on a database rather than a collection (<see cref="MongoOperation.ListCollections"/>).</summary>
    public static bool IsDatabaseLevel(this MongoOperation operation) => operation == MongoOperation.ListCollections;
}
