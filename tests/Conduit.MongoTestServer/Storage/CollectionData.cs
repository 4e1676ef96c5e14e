using Conduit.MongoTestServer.Commands;
using MongoDB.Bson;

namespace Conduit.MongoTestServer.Storage;

/// <summary>The documents and indexes of one collection, in insertion (natural) order.</summary>
/// <remarks>
/// Not thread-safe: callers hold the store's lock. Stored documents are never modified in place — an update
/// stores a new document — so replies and cursors may keep references to them after the lock is released.
/// </remarks>
internal sealed class CollectionData
{
    private readonly List<BsonDocument> _documents = [];
    private readonly List<IndexDefinition> _indexes = [];
    private readonly List<UniqueKeyIndex> _uniqueIndexes = [];

    /// <summary>Initializes a new instance of the <see cref="CollectionData"/> class with its <c>_id_</c> index.</summary>
    public CollectionData(string database, string name, BsonDocument? options = null)
    {
        Database = database;
        Name = name;
        Options = options ?? [];
        AddIndexUnchecked(IndexDefinition.IdIndex());
    }

    /// <summary>Gets the database name.</summary>
    public string Database { get; }

    /// <summary>Gets the collection name.</summary>
    public string Name { get; }

    /// <summary>Gets the full namespace, <c>db.collection</c>.</summary>
    public string Namespace => $"{Database}.{Name}";

    /// <summary>Gets the collection's UUID, reported by listCollections.</summary>
    public Guid Uuid { get; } = Guid.NewGuid();

    /// <summary>Gets the options the collection was created with.</summary>
    public BsonDocument Options { get; }

    /// <summary>Gets the documents in natural order.</summary>
    public IReadOnlyList<BsonDocument> Documents => _documents;

    /// <summary>Gets the indexes, <c>_id_</c> first.</summary>
    public IReadOnlyList<IndexDefinition> Indexes => _indexes;

    /// <summary>Stores a new document; it must already have its <c>_id</c>.</summary>
    /// <exception cref="CommandException">Duplicate key (11000).</exception>
    public void Insert(BsonDocument document)
    {
        foreach (var index in _uniqueIndexes)
        {
            index.EnsureNoConflict(document);
        }

        foreach (var index in _uniqueIndexes)
        {
            index.Add(document);
        }

        _documents.Add(document);
    }

    /// <summary>Replaces a stored document with its updated copy, keeping its position.</summary>
    /// <exception cref="CommandException">Duplicate key (11000); the stored document is then unchanged.</exception>
    public void Replace(BsonDocument stored, BsonDocument updated)
    {
        var position = PositionOf(stored);
        foreach (var index in _uniqueIndexes)
        {
            index.Remove(stored);
        }

        try
        {
            foreach (var index in _uniqueIndexes)
            {
                index.EnsureNoConflict(updated);
            }
        }
        catch (CommandException)
        {
            foreach (var index in _uniqueIndexes)
            {
                index.Add(stored);
            }

            throw;
        }

        foreach (var index in _uniqueIndexes)
        {
            index.Add(updated);
        }

        _documents[position] = updated;
    }

    /// <summary>Removes a stored document.</summary>
    public void Delete(BsonDocument stored)
    {
        _documents.RemoveAt(PositionOf(stored));
        foreach (var index in _uniqueIndexes)
        {
            index.Remove(stored);
        }
    }

    /// <summary>Adds an index; a unique one is first checked against the existing documents.</summary>
    /// <exception cref="CommandException">Existing documents violate the unique index (11000).</exception>
    public void AddIndex(IndexDefinition definition)
    {
        if (definition.Unique)
        {
            var unique = new UniqueKeyIndex(definition, Namespace);
            foreach (var document in _documents)
            {
                try
                {
                    unique.EnsureNoConflict(document);
                }
                catch (CommandException ex)
                {
                    throw new CommandException(ex.Code, ex.CodeName, $"Index build failed: {Uuid}: Collection {Namespace} ( {Uuid} ) :: caused by :: {ex.Message}", ex.Details);
                }

                unique.Add(document);
            }

            _uniqueIndexes.Add(unique);
        }

        _indexes.Add(definition);
    }

    /// <summary>Removes a non-<c>_id</c> index by name.</summary>
    public void DropIndex(IndexDefinition definition)
    {
        _indexes.Remove(definition);
        _uniqueIndexes.RemoveAll(u => ReferenceEquals(u.Definition, definition));
    }

    private void AddIndexUnchecked(IndexDefinition definition)
    {
        _indexes.Add(definition);
        _uniqueIndexes.Add(new UniqueKeyIndex(definition, Namespace));
    }

    private int PositionOf(BsonDocument stored)
    {
        for (var i = 0; i < _documents.Count; i++)
        {
            if (ReferenceEquals(_documents[i], stored))
            {
                return i;
            }
        }

        throw new InvalidOperationException("The document is not stored in this collection.");
    }
}
