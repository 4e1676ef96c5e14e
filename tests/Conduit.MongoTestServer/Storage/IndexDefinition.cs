using MongoDB.Bson;

namespace Conduit.MongoTestServer.Storage;

/// <summary>An index as created by <c>createIndexes</c>; only <c>unique</c> ones change behaviour.</summary>
internal sealed class IndexDefinition
{
    /// <summary>Initializes a new instance of the <see cref="IndexDefinition"/> class from a createIndexes spec.</summary>
    public IndexDefinition(BsonDocument spec)
    {
        Name = spec["name"].AsString;
        Key = spec["key"].AsBsonDocument;
        Unique = spec.GetValue("unique", false).ToBoolean();
        Sparse = spec.GetValue("sparse", false).ToBoolean();
        PartialFilter = spec.GetValue("partialFilterExpression", BsonNull.Value) as BsonDocument;

        // listIndexes echoes what was asked for, with the index version first as the server does.
        Spec = new BsonDocument("v", 2);
        Spec.AddRange(spec.Where(e => e.Name != "v"));
    }

    /// <summary>Gets the index name, e.g. <c>email_1</c>.</summary>
    public string Name { get; }

    /// <summary>Gets the key pattern, e.g. <c>{email: 1}</c>.</summary>
    public BsonDocument Key { get; }

    /// <summary>Gets a value indicating whether the index rejects duplicate keys.</summary>
    public bool Unique { get; }

    /// <summary>Gets a value indicating whether documents without any key field are left out.</summary>
    public bool Sparse { get; }

    /// <summary>Gets the filter that limits the indexed documents, if any.</summary>
    public BsonDocument? PartialFilter { get; }

    /// <summary>Gets the document listIndexes returns.</summary>
    public BsonDocument Spec { get; }

    /// <summary>Gets the always-present unique index on <c>_id</c>.</summary>
    public static IndexDefinition IdIndex() =>
        new(new BsonDocument { { "key", new BsonDocument("_id", 1) }, { "name", "_id_" } });

    /// <summary>Tells whether two definitions describe the same index apart from its name.</summary>
    public bool SameShape(IndexDefinition other) =>
        Key.Equals(other.Key) && Unique == other.Unique && Sparse == other.Sparse &&
        Equals(PartialFilter, other.PartialFilter);
}
