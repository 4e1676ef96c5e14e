using System.Globalization;
using Conduit.MongoTestServer.Commands;
using MongoDB.Bson;

namespace Conduit.MongoTestServer.Query;

/// <summary>Dotted field paths (<c>a.b.0.c</c>): reading them for queries and expressions, writing them for updates.</summary>
internal static class FieldPath
{
    /// <summary>
    /// Collects every value a query path reaches. Arrays of documents are traversed implicitly, and a
    /// numeric segment also indexes into an array. An empty result means the field is missing.
    /// </summary>
    public static List<BsonValue> Collect(BsonDocument document, string path)
    {
        var values = new List<BsonValue>();
        Walk(document, path.Split('.'), 0, values);
        return values;
    }

    /// <summary>
    /// Resolves a path the way aggregation expressions do: through an array of documents it yields an array
    /// of the sub-values. Returns <see langword="null"/> when the field is missing.
    /// </summary>
    public static BsonValue? Resolve(BsonValue root, string path) => Resolve(root, path.Split('.'), 0);

    /// <summary>Reads a value for an update without implicit array traversal; numeric segments index arrays.</summary>
    public static bool TryGet(BsonDocument document, string path, out BsonValue value)
    {
        BsonValue current = document;
        foreach (var part in path.Split('.'))
        {
            if (current is BsonDocument doc && doc.TryGetValue(part, out var next))
            {
                current = next;
            }
            else if (current is BsonArray array && TryIndex(part, out var index) && index < array.Count)
            {
                current = array[index];
            }
            else
            {
                value = BsonNull.Value;
                return false;
            }
        }

        value = current;
        return true;
    }

    /// <summary>Sets a value, creating intermediate documents; numeric segments index (and pad) arrays.</summary>
    /// <exception cref="CommandException">A segment crosses a scalar (PathNotViable, code 28).</exception>
    public static void Set(BsonDocument document, string path, BsonValue value)
    {
        var parts = path.Split('.');
        BsonValue current = document;
        for (var i = 0; i < parts.Length; i++)
        {
            var last = i == parts.Length - 1;
            var part = parts[i];
            if (part.Length == 0 || part.StartsWith('$'))
            {
                throw ServerErrors.NotImplemented($"the update path '{path}' (positional operators and empty segments)");
            }

            if (current is BsonDocument doc)
            {
                if (last)
                {
                    doc[part] = value;
                    return;
                }

                if (!doc.TryGetValue(part, out var child))
                {
                    child = new BsonDocument();
                    doc[part] = child;
                }

                current = child;
            }
            else if (current is BsonArray array && TryIndex(part, out var index))
            {
                while (array.Count <= index)
                {
                    array.Add(last ? BsonNull.Value : new BsonDocument());
                }

                if (last)
                {
                    array[index] = value;
                    return;
                }

                current = array[index];
            }
            else
            {
                throw new CommandException(28, "PathNotViable", $"Cannot create field '{part}' in element {{{parts[i - 1]}: {current.ToJson()}}}");
            }
        }
    }

    /// <summary>Removes a field; inside an array the element becomes null, as <c>$unset</c> does.</summary>
    public static void Remove(BsonDocument document, string path)
    {
        var parts = path.Split('.');
        BsonValue current = document;
        for (var i = 0; i < parts.Length - 1; i++)
        {
            if (current is BsonDocument doc && doc.TryGetValue(parts[i], out var next))
            {
                current = next;
            }
            else if (current is BsonArray array && TryIndex(parts[i], out var index) && index < array.Count)
            {
                current = array[index];
            }
            else
            {
                return;
            }
        }

        var leaf = parts[^1];
        if (current is BsonDocument parent)
        {
            parent.Remove(leaf);
        }
        else if (current is BsonArray items && TryIndex(leaf, out var position) && position < items.Count)
        {
            items[position] = BsonNull.Value;
        }
    }

    private static void Walk(BsonValue value, string[] parts, int index, List<BsonValue> output)
    {
        if (index == parts.Length)
        {
            output.Add(value);
            return;
        }

        if (value is BsonDocument document)
        {
            if (document.TryGetValue(parts[index], out var child))
            {
                Walk(child, parts, index + 1, output);
            }
        }
        else if (value is BsonArray array)
        {
            if (TryIndex(parts[index], out var position) && position < array.Count)
            {
                Walk(array[position], parts, index + 1, output);
            }

            foreach (var item in array)
            {
                if (item is BsonDocument)
                {
                    Walk(item, parts, index, output);
                }
            }
        }
    }

    private static BsonValue? Resolve(BsonValue value, string[] parts, int index)
    {
        if (index == parts.Length)
        {
            return value;
        }

        if (value is BsonDocument document)
        {
            return document.TryGetValue(parts[index], out var child) ? Resolve(child, parts, index + 1) : null;
        }

        if (value is BsonArray array)
        {
            var result = new BsonArray();
            foreach (var item in array)
            {
                if (item is BsonDocument or BsonArray && Resolve(item, parts, index) is { } found)
                {
                    result.Add(found);
                }
            }

            return result;
        }

        return null;
    }

    private static bool TryIndex(string part, out int index) =>
        int.TryParse(part, NumberStyles.None, CultureInfo.InvariantCulture, out index);
}
