using System.Buffers;
using System.Text;
using Conduit.Errors;

namespace Conduit.Connectors.Mongo;

/// <summary>
/// MongoDB's naming rules for databases and collections, checked before a name reaches the driver so a
/// bad name is an <c>INVALID_REQUEST</c> naming the field rather than a server error.
/// </summary>
public static class MongoNames
{
    /// <summary>A database name has fewer than 64 bytes (UTF-8).</summary>
    public const int MaxDatabaseBytes = 63;

    /// <summary>A namespace, <c>database.collection</c>, has at most 255 bytes (UTF-8).</summary>
    public const int MaxNamespaceBytes = 255;

    // MongoDB forbids these in database names on Windows and most of them everywhere; one rule for all platforms.
    private static readonly SearchValues<char> DatabaseForbidden = SearchValues.Create("/\\. \"$*<>:|?\0");

    /// <summary>MongoDB's own databases, never a tenant's to touch.</summary>
    public static IReadOnlyList<string> SystemDatabases { get; } = ["admin", "local", "config"];

    /// <summary>Throws <c>INVALID_REQUEST</c> (<c>{field}: …</c>) unless <paramref name="name"/> is a valid database name.</summary>
    public static void ValidateDatabase(string? name, string field = "database")
    {
        if (string.IsNullOrEmpty(name))
        {
            throw Invalid(field, "a database name is required.");
        }

        if (name.AsSpan().IndexOfAny(DatabaseForbidden) is var at and >= 0)
        {
            throw Invalid(field, $"'{Printable(name)}' contains '{Printable(name[at].ToString())}'; database names may not contain / \\ . space \" $ * < > : | ? or a null character.");
        }

        if (Encoding.UTF8.GetByteCount(name) > MaxDatabaseBytes)
        {
            throw Invalid(field, $"database names have fewer than {MaxDatabaseBytes + 1} bytes; this one has {Encoding.UTF8.GetByteCount(name)}.");
        }
    }

    /// <summary>Throws <c>INVALID_REQUEST</c> (<c>{field}: …</c>) unless <paramref name="name"/> is a valid collection name in <paramref name="database"/>.</summary>
    public static void ValidateCollection(string database, string? name, string field = "collection")
    {
        ArgumentNullException.ThrowIfNull(database);
        if (string.IsNullOrEmpty(name))
        {
            throw Invalid(field, "a collection name is required.");
        }

        if (name.Contains('$', StringComparison.Ordinal) || name.Contains('\0', StringComparison.Ordinal))
        {
            throw Invalid(field, $"'{Printable(name)}' contains '$' or a null character, which collection names may not.");
        }

        if (name.StartsWith("system.", StringComparison.Ordinal))
        {
            throw Invalid(field, $"'{name}' is a system collection name (system.*), reserved for MongoDB.");
        }

        if (name.StartsWith('.') || name.EndsWith('.'))
        {
            throw Invalid(field, $"'{name}' starts or ends with '.', which MongoDB refuses.");
        }

        var length = Encoding.UTF8.GetByteCount(database) + 1 + Encoding.UTF8.GetByteCount(name);
        if (length > MaxNamespaceBytes)
        {
            throw Invalid(field, $"the namespace '{database}.{Printable(name)}' has {length} bytes; MongoDB allows at most {MaxNamespaceBytes}.");
        }
    }

    /// <summary>True for <c>admin</c>, <c>local</c> and <c>config</c>.</summary>
    public static bool IsSystemDatabase(string name) => SystemDatabases.Contains(name, StringComparer.OrdinalIgnoreCase);

    private static string Printable(string value) => value.Replace("\0", "\\0", StringComparison.Ordinal);

    private static ConduitException Invalid(string field, string why) => new(ErrorCodes.InvalidRequest, $"{field}: {why}");
}
