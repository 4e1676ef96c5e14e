using System.Collections.Concurrent;
using MongoDB.Bson;

namespace Conduit.MongoTestServer.Storage;

/// <summary>All data of one test server: databases, collections and open cursors.</summary>
/// <remarks>
/// One lock (<see cref="Gate"/>) serializes every command — simple, and fast enough for tests.
/// </remarks>
internal sealed class MemoryStore
{
    private readonly Dictionary<string, DatabaseData> _databases = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<long, CursorState> _cursors = new();
    private long _nextCursorId;

    /// <summary>Gets the lock every command holds while it reads or writes data.</summary>
    public Lock Gate { get; } = new();

    /// <summary>Gets the databases that hold at least one collection, ordered by name.</summary>
    public IEnumerable<DatabaseData> Databases => _databases.Values.Where(d => !d.IsEmpty).OrderBy(d => d.Name, StringComparer.Ordinal);

    /// <summary>Returns a database, or <see langword="null"/> if it has never been used.</summary>
    public DatabaseData? FindDatabase(string name) => _databases.GetValueOrDefault(name);

    /// <summary>Returns a collection, or <see langword="null"/> if it does not exist.</summary>
    public CollectionData? FindCollection(string database, string collection) => FindDatabase(database)?.Find(collection);

    /// <summary>Returns a database, creating it if needed.</summary>
    public DatabaseData GetOrCreateDatabase(string name)
    {
        if (!_databases.TryGetValue(name, out var database))
        {
            database = new DatabaseData(name);
            _databases[name] = database;
        }

        return database;
    }

    /// <summary>Drops a database with all its collections.</summary>
    public void DropDatabase(string name) => _databases.Remove(name);

    /// <summary>Registers a cursor over <paramref name="remaining"/> and returns its id (never 0).</summary>
    public long OpenCursor(string ns, IEnumerable<BsonDocument> remaining)
    {
        var id = Interlocked.Increment(ref _nextCursorId);
        _cursors[id] = new CursorState(ns, new Queue<BsonDocument>(remaining));
        return id;
    }

    /// <summary>Returns an open cursor, or <see langword="null"/>.</summary>
    public CursorState? FindCursor(long id) => _cursors.GetValueOrDefault(id);

    /// <summary>Closes a cursor; returns whether it was open.</summary>
    public bool CloseCursor(long id) => _cursors.TryRemove(id, out _);

    /// <summary>Drops every database and cursor.</summary>
    public void Clear()
    {
        lock (Gate)
        {
            _databases.Clear();
            _cursors.Clear();
        }
    }
}
