using Conduit.Mongo;
using MongoDB.Bson;

namespace Conduit.Client;

/// <summary>One MongoDB collection of a project, reached through the project's grain.</summary>
/// <remarks>Errors arrive as <see cref="Errors.ConduitException"/>: a duplicate key is <c>BACKEND_ERROR</c> with backend code <c>11000</c>.</remarks>
[System.Diagnostics.CodeAnalysis.SuppressMessage("Naming", "CA1711:Identifiers should not have incorrect suffix", Justification = "A MongoDB collection: the domain's own word, not a .NET collection type.")]
public sealed class ConduitMongoCollection
{
    private readonly ConduitMongo _mongo;

    internal ConduitMongoCollection(ConduitMongo mongo, string database, string name)
    {
        _mongo = mongo;
        Database = database;
        Name = name;
    }

    /// <summary>The database's name.</summary>
    public string Database { get; }

    /// <summary>The collection's name.</summary>
    public string Name { get; }

    /// <summary>find: the matching documents (at most the silo's row cap; more is <c>RESULT_TOO_LARGE</c>). A <paramref name="limit"/> of 0 means none.</summary>
    public async Task<IReadOnlyList<BsonDocument>> FindAsync(BsonDocument? filter = null, BsonDocument? sort = null, BsonDocument? projection = null, int skip = 0, int limit = 0, CancellationToken cancellationToken = default)
    {
        var arguments = Optional(new BsonDocument(), ("filter", filter), ("sort", sort), ("projection", projection), ("skip", skip == 0 ? null : (BsonValue)skip), ("limit", limit == 0 ? null : (BsonValue)limit));
        return ConduitMongo.ToDocuments(await RunAsync(MongoOperation.Find, arguments, cancellationToken).ConfigureAwait(false));
    }

    /// <summary>countDocuments: how many documents match.</summary>
    public async Task<long> CountDocumentsAsync(BsonDocument? filter = null, CancellationToken cancellationToken = default) =>
        ConduitMongo.Summary(await RunAsync(MongoOperation.CountDocuments, Optional(new BsonDocument(), ("filter", filter)), cancellationToken).ConfigureAwait(false))["count"].ToInt64();

    /// <summary>insertOne: the document's <c>_id</c> (an ObjectId is added when it has none).</summary>
    public async Task<BsonValue> InsertOneAsync(BsonDocument document, CancellationToken cancellationToken = default) =>
        ConduitMongo.Summary(await RunAsync(MongoOperation.InsertOne, new BsonDocument("document", document), cancellationToken).ConfigureAwait(false))["insertedId"];

    /// <summary>insertMany: the documents' <c>_id</c>s, in order.</summary>
    public async Task<IReadOnlyList<BsonValue>> InsertManyAsync(IEnumerable<BsonDocument> documents, bool ordered = true, CancellationToken cancellationToken = default)
    {
        var arguments = new BsonDocument { { "documents", new BsonArray(documents) }, { "ordered", ordered } };
        return [.. ConduitMongo.Summary(await RunAsync(MongoOperation.InsertMany, arguments, cancellationToken).ConfigureAwait(false))["insertedIds"].AsBsonArray];
    }

    /// <summary>updateOne: <c>{matchedCount, modifiedCount, upsertedId}</c>. <paramref name="update"/> holds operators such as <c>$set</c>.</summary>
    public Task<BsonDocument> UpdateOneAsync(BsonDocument filter, BsonDocument update, bool upsert = false, CancellationToken cancellationToken = default) =>
        SummaryAsync(MongoOperation.UpdateOne, new BsonDocument { { "filter", filter }, { "update", update }, { "upsert", upsert } }, cancellationToken);

    /// <summary>updateMany: <c>{matchedCount, modifiedCount, upsertedId}</c>.</summary>
    public Task<BsonDocument> UpdateManyAsync(BsonDocument filter, BsonDocument update, bool upsert = false, CancellationToken cancellationToken = default) =>
        SummaryAsync(MongoOperation.UpdateMany, new BsonDocument { { "filter", filter }, { "update", update }, { "upsert", upsert } }, cancellationToken);

    /// <summary>replaceOne: <c>{matchedCount, modifiedCount, upsertedId}</c>.</summary>
    public Task<BsonDocument> ReplaceOneAsync(BsonDocument filter, BsonDocument replacement, bool upsert = false, CancellationToken cancellationToken = default) =>
        SummaryAsync(MongoOperation.ReplaceOne, new BsonDocument { { "filter", filter }, { "replacement", replacement }, { "upsert", upsert } }, cancellationToken);

    /// <summary>deleteOne: how many documents were deleted (0 or 1).</summary>
    public async Task<long> DeleteOneAsync(BsonDocument filter, CancellationToken cancellationToken = default) =>
        (await SummaryAsync(MongoOperation.DeleteOne, new BsonDocument("filter", filter), cancellationToken).ConfigureAwait(false))["deletedCount"].ToInt64();

    /// <summary>deleteMany: how many documents were deleted.</summary>
    public async Task<long> DeleteManyAsync(BsonDocument filter, CancellationToken cancellationToken = default) =>
        (await SummaryAsync(MongoOperation.DeleteMany, new BsonDocument("filter", filter), cancellationToken).ConfigureAwait(false))["deletedCount"].ToInt64();

    /// <summary>findOneAndUpdate: the document before the update (after it with <paramref name="returnAfter"/>), or null when none matched.</summary>
    public async Task<BsonDocument?> FindOneAndUpdateAsync(BsonDocument filter, BsonDocument update, BsonDocument? sort = null, BsonDocument? projection = null, bool upsert = false, bool returnAfter = false, CancellationToken cancellationToken = default)
    {
        var arguments = Optional(new BsonDocument { { "filter", filter }, { "update", update }, { "upsert", upsert }, { "returnDocument", returnAfter ? "after" : "before" } }, ("sort", sort), ("projection", projection));
        var result = await RunAsync(MongoOperation.FindOneAndUpdate, arguments, cancellationToken).ConfigureAwait(false);
        return result.Documents.Count == 0 ? null : ConduitMongo.ToDocument(result.Documents[0]);
    }

    /// <summary>aggregate: the pipeline's output documents (at most the silo's row cap).</summary>
    public async Task<IReadOnlyList<BsonDocument>> AggregateAsync(IEnumerable<BsonDocument> pipeline, CancellationToken cancellationToken = default) =>
        ConduitMongo.ToDocuments(await RunAsync(MongoOperation.Aggregate, new BsonDocument("pipeline", new BsonArray(pipeline)), cancellationToken).ConfigureAwait(false));

    /// <summary>
    /// bulkWrite: operations such as <c>{insertOne: {document}}</c>, <c>{updateOne: {filter, update}}</c>, <c>{deleteMany: {filter}}</c>;
    /// answers <c>{insertedCount, matchedCount, modifiedCount, deletedCount, upsertedCount, upsertedIds}</c>.
    /// </summary>
    public Task<BsonDocument> BulkWriteAsync(IEnumerable<BsonDocument> operations, bool ordered = true, CancellationToken cancellationToken = default) =>
        SummaryAsync(MongoOperation.BulkWrite, new BsonDocument { { "operations", new BsonArray(operations) }, { "ordered", ordered } }, cancellationToken);

    /// <summary>createIndex: the index's name. <paramref name="options"/> may hold <c>name</c>, <c>unique</c>, <c>sparse</c>, <c>expireAfterSeconds</c>, <c>partialFilterExpression</c>.</summary>
    public async Task<string> CreateIndexAsync(BsonDocument keys, BsonDocument? options = null, CancellationToken cancellationToken = default)
    {
        var arguments = new BsonDocument("keys", keys);
        if (options is not null)
        {
            arguments.AddRange(options);
        }

        return (await SummaryAsync(MongoOperation.CreateIndex, arguments, cancellationToken).ConfigureAwait(false))["name"].AsString;
    }

    /// <summary>listIndexes: the index specifications, <c>_id_</c> first.</summary>
    public async Task<IReadOnlyList<BsonDocument>> ListIndexesAsync(CancellationToken cancellationToken = default) =>
        ConduitMongo.ToDocuments(await RunAsync(MongoOperation.ListIndexes, null, cancellationToken).ConfigureAwait(false));

    /// <summary>dropIndex by name.</summary>
    public Task DropIndexAsync(string name, CancellationToken cancellationToken = default) => RunAsync(MongoOperation.DropIndex, new BsonDocument("name", name), cancellationToken);

    /// <summary>createCollection; <paramref name="options"/> may hold <c>validator</c>, <c>validationLevel</c>, <c>validationAction</c>.</summary>
    public Task CreateAsync(BsonDocument? options = null, CancellationToken cancellationToken = default) => RunAsync(MongoOperation.CreateCollection, options, cancellationToken);

    /// <summary>dropCollection; dropping a missing collection succeeds.</summary>
    public Task DropAsync(CancellationToken cancellationToken = default) => RunAsync(MongoOperation.DropCollection, null, cancellationToken);

    /// <summary>Any collection operation; the answer has the REST API's shape.</summary>
    public Task<BsonDocument> ExecuteAsync(MongoOperation operation, BsonDocument? arguments = null, CancellationToken cancellationToken = default) => _mongo.ExecuteAsync(Database, Name, operation, arguments, cancellationToken);

    private static BsonDocument Optional(BsonDocument arguments, params (string Name, BsonValue? Value)[] fields)
    {
        foreach (var (name, value) in fields)
        {
            if (value is not null)
            {
                arguments.Add(name, value);
            }
        }

        return arguments;
    }

    private async Task<BsonDocument> SummaryAsync(MongoOperation operation, BsonDocument arguments, CancellationToken cancellationToken) =>
        ConduitMongo.Summary(await RunAsync(operation, arguments, cancellationToken).ConfigureAwait(false));

    private Task<MongoResult> RunAsync(MongoOperation operation, BsonDocument? arguments, CancellationToken cancellationToken) => _mongo.RunAsync(Database, Name, operation, arguments, cancellationToken);
}
