using MongoDB.Bson;

namespace Conduit.MongoTestServer.Storage;

/// <summary>The collections of one database. Not thread-safe: callers hold the store's lock.</summary>
internal sealed class DatabaseData(string name)
{
    private readonly SortedDictionary<string, CollectionData> _collections = new(StringComparer.Ordinal);

    /// <summary>Gets the database name.</summary>
    public string Name { get; } = name;

    /// <summary>Gets the collections, ordered by name.</summary>
    public IEnumerable<CollectionData> Collections => _collections.Values;

    /// <summary>Gets a value indicating whether the database holds no collection (and so does not exist).</summary>
    public bool IsEmpty => _collections.Count == 0;

    /// <summary>Returns a collection, or <see langword="null"/> if it does not exist.</summary>
    public CollectionData? Find(string collection) => _collections.GetValueOrDefault(collection);

    /// <summary>Returns a collection, creating it (implicitly, as inserts do) if needed.</summary>
    public CollectionData GetOrCreate(string collection, out bool created, BsonDocument? options = null)
    {
        created = !_collections.TryGetValue(collection, out var data);
        if (data is null)
        {
            data = new CollectionData(Name, collection, options);
            _collections[collection] = data;
        }

        return data;
    }

    /// <summary>Drops a collection; returns whether it existed.</summary>
    public bool Drop(string collection) => _collections.Remove(collection);
}
