namespace Conduit.MongoTestServer.Commands;

/// <summary>Factories for the errors the test server raises, with the real server's codes and names.</summary>
internal static class ServerErrors
{
    /// <summary>Code 2, BadValue.</summary>
    public static CommandException BadValue(string message) => new(2, "BadValue", message);

    /// <summary>Code 9, FailedToParse.</summary>
    public static CommandException FailedToParse(string message) => new(9, "FailedToParse", message);

    /// <summary>Code 13, Unauthorized.</summary>
    public static CommandException Unauthorized(string message) => new(13, "Unauthorized", message);

    /// <summary>Code 14, TypeMismatch.</summary>
    public static CommandException TypeMismatch(string message) => new(14, "TypeMismatch", message);

    /// <summary>Code 26, NamespaceNotFound.</summary>
    public static CommandException NamespaceNotFound(string message) => new(26, "NamespaceNotFound", message);

    /// <summary>Code 27, IndexNotFound.</summary>
    public static CommandException IndexNotFound(string message) => new(27, "IndexNotFound", message);

    /// <summary>Code 43, CursorNotFound.</summary>
    public static CommandException CursorNotFound(long id) => new(43, "CursorNotFound", $"cursor id {id} not found");

    /// <summary>Code 48, NamespaceExists.</summary>
    public static CommandException NamespaceExists(string ns) => new(48, "NamespaceExists", $"Collection {ns} already exists.");

    /// <summary>Code 59, CommandNotFound.</summary>
    public static CommandException CommandNotFound(string name) => new(59, "CommandNotFound", $"no such command: '{name}'");

    /// <summary>Code 66, ImmutableField.</summary>
    public static CommandException ImmutableField(string message) => new(66, "ImmutableField", message);

    /// <summary>Code 72, InvalidOptions.</summary>
    public static CommandException InvalidOptions(string message) => new(72, "InvalidOptions", message);

    /// <summary>Code 73, InvalidNamespace.</summary>
    public static CommandException InvalidNamespace(string message) => new(73, "InvalidNamespace", message);

    /// <summary>Code 85, IndexOptionsConflict.</summary>
    public static CommandException IndexOptionsConflict(string message) => new(85, "IndexOptionsConflict", message);

    /// <summary>Code 86, IndexKeySpecsConflict.</summary>
    public static CommandException IndexKeySpecsConflict(string message) => new(86, "IndexKeySpecsConflict", message);

    /// <summary>Code 168, InvalidPipelineOperator.</summary>
    public static CommandException InvalidPipelineOperator(string message) => new(168, "InvalidPipelineOperator", message);

    /// <summary>Code 238, NotImplemented: a feature of MongoDB this test double does not have.</summary>
    public static CommandException NotImplemented(string feature) =>
        new(238, "NotImplemented", $"{feature} is not supported by Conduit.MongoTestServer");

    /// <summary>Code 40324, an unknown aggregation stage.</summary>
    public static CommandException UnknownStage(string name) =>
        new(40324, "Location40324", $"Unrecognized pipeline stage name: '{name}'");

    /// <summary>Code 31253/31254, an inclusion and an exclusion mixed in one projection.</summary>
    public static CommandException ProjectionMix(string field, bool inclusionFirst) => inclusionFirst
        ? new(31254, "Location31254", $"Cannot do exclusion on field {field} in inclusion projection")
        : new(31253, "Location31253", $"Cannot do inclusion on field {field} in exclusion projection");
}
