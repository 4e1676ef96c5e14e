using Conduit.MongoTestServer.Commands;
using Conduit.MongoTestServer.Query;
using MongoDB.Bson;
using MongoDB.Bson.IO;

namespace Conduit.MongoTestServer.Storage;

/// <summary>Enforces a unique index (including <c>_id_</c>) with a hash map from key to owning document.</summary>
/// <remarks>
/// Missing key fields index as null, as in MongoDB, unless the index is sparse. A single-field index
/// over an array indexes each element (multikey); compound keys index the values as a whole.
/// </remarks>
internal sealed class UniqueKeyIndex
{
    private readonly Dictionary<BsonValue, BsonDocument> _owners = new(BsonValueEqualityComparer.Instance);
    private readonly string _namespace;

    /// <summary>Initializes a new instance of the <see cref="UniqueKeyIndex"/> class.</summary>
    public UniqueKeyIndex(IndexDefinition definition, string ns)
    {
        Definition = definition;
        _namespace = ns;
    }

    /// <summary>Gets the index this map enforces.</summary>
    public IndexDefinition Definition { get; }

    /// <summary>Throws the duplicate-key error if <paramref name="document"/> collides with another document.</summary>
    /// <exception cref="CommandException">Code 11000, with <c>keyPattern</c> and <c>keyValue</c>.</exception>
    public void EnsureNoConflict(BsonDocument document)
    {
        foreach (var key in KeysOf(document))
        {
            if (_owners.TryGetValue(key, out var owner) && !ReferenceEquals(owner, document))
            {
                throw DuplicateKey(key);
            }
        }
    }

    /// <summary>Records <paramref name="document"/>'s keys; call <see cref="EnsureNoConflict"/> first.</summary>
    public void Add(BsonDocument document)
    {
        foreach (var key in KeysOf(document))
        {
            _owners[key] = document;
        }
    }

    /// <summary>Forgets <paramref name="document"/>'s keys.</summary>
    public void Remove(BsonDocument document)
    {
        foreach (var key in KeysOf(document))
        {
            if (_owners.TryGetValue(key, out var owner) && ReferenceEquals(owner, document))
            {
                _owners.Remove(key);
            }
        }
    }

    private List<BsonValue> KeysOf(BsonDocument document)
    {
        if (Definition.PartialFilter is { } filter && !FilterMatcher.Matches(document, filter))
        {
            return [];
        }

        var values = Definition.Key.Names.Select(path => FieldValue(document, path)).ToList();
        if (Definition.Sparse && values.All(v => v is null))
        {
            return [];
        }

        if (values.Count == 1)
        {
            var single = values[0] ?? BsonNull.Value;
            return single is BsonArray { Count: > 0 } array
                ? array.Distinct(BsonValueEqualityComparer.Instance).ToList()
                : [single];
        }

        return [new BsonArray(values.Select(v => v ?? BsonNull.Value))];
    }

    private static BsonValue? FieldValue(BsonDocument document, string path)
    {
        var found = FieldPath.Collect(document, path);
        return found.Count switch
        {
            0 => null,
            1 => found[0],
            _ => new BsonArray(found),
        };
    }

    private CommandException DuplicateKey(BsonValue key)
    {
        var names = Definition.Key.Names.ToList();
        var keyValue = new BsonDocument();
        for (var i = 0; i < names.Count; i++)
        {
            keyValue.Add(names[i], names.Count == 1 ? key : key.AsBsonArray[i]);
        }

        var shell = new JsonWriterSettings { OutputMode = JsonOutputMode.Shell };
        var rendered = string.Join(", ", keyValue.Select(e => $"{e.Name}: {e.Value.ToJson(shell)}"));
        var message = $"E11000 duplicate key error collection: {_namespace} index: {Definition.Name} dup key: {{ {rendered} }}";
        var details = new BsonDocument { { "keyPattern", Definition.Key }, { "keyValue", keyValue } };
        return new CommandException(11000, "DuplicateKey", message, details);
    }
}
