namespace Conduit.Mongo;

/// <summary>
/// The MongoDB operations a project's grain runs. Each takes its arguments as one BSON document
/// (<see cref="MongoCommand.Arguments"/>) and answers a <see cref="MongoResult"/>; the wire names
/// (<c>find</c>, <c>insertOne</c>…) are in <see cref="MongoOperationNames"/>.
/// </summary>
public enum MongoOperation
{
    /// <summary><c>{filter?, sort?, projection?, skip?, limit?}</c> → the matching documents, at most the row cap.</summary>
    Find = 0,

    /// <summary><c>{filter?, skip?, limit?}</c> → summary <c>{count}</c>.</summary>
    CountDocuments = 1,

    /// <summary><c>{document}</c> → summary <c>{insertedId}</c> (an ObjectId is added when the document has no <c>_id</c>).</summary>
    InsertOne = 2,

    /// <summary><c>{documents, ordered?}</c> → summary <c>{insertedCount, insertedIds}</c>.</summary>
    InsertMany = 3,

    /// <summary><c>{filter, update, upsert?}</c> (update: operators or a pipeline) → summary <c>{matchedCount, modifiedCount, upsertedId}</c>.</summary>
    UpdateOne = 4,

    /// <summary>As <see cref="UpdateOne"/>, for every matching document.</summary>
    UpdateMany = 5,

    /// <summary><c>{filter, replacement, upsert?}</c> → summary <c>{matchedCount, modifiedCount, upsertedId}</c>.</summary>
    ReplaceOne = 6,

    /// <summary><c>{filter}</c> → summary <c>{deletedCount}</c>.</summary>
    DeleteOne = 7,

    /// <summary>As <see cref="DeleteOne"/>, for every matching document.</summary>
    DeleteMany = 8,

    /// <summary><c>{filter, update, sort?, projection?, upsert?, returnDocument?: "before"|"after"}</c> → the document, or none.</summary>
    FindOneAndUpdate = 9,

    /// <summary><c>{pipeline, allowDiskUse?}</c> → the pipeline's output documents, at most the row cap.</summary>
    Aggregate = 10,

    /// <summary>
    /// <c>{operations, ordered?}</c>, each operation one of <c>{insertOne: {document}}</c>, <c>{updateOne|updateMany:
    /// {filter, update, upsert?}}</c>, <c>{replaceOne: {filter, replacement, upsert?}}</c>, <c>{deleteOne|deleteMany: {filter}}</c>
    /// → summary <c>{insertedCount, matchedCount, modifiedCount, deletedCount, upsertedCount, upsertedIds}</c>.
    /// </summary>
    BulkWrite = 11,

    /// <summary><c>{keys, name?, unique?, sparse?, expireAfterSeconds?, partialFilterExpression?}</c> → summary <c>{name}</c>.</summary>
    CreateIndex = 12,

    /// <summary>No arguments → the collection's index specifications.</summary>
    ListIndexes = 13,

    /// <summary><c>{name}</c> → summary <c>{dropped}</c>.</summary>
    DropIndex = 14,

    /// <summary><c>{validator?, validationLevel?, validationAction?}</c> → summary <c>{created}</c>.</summary>
    CreateCollection = 15,

    /// <summary>A database-level operation (no collection): <c>{filter?, nameOnly?}</c> → one document per collection.</summary>
    ListCollections = 16,

    /// <summary>No arguments → summary <c>{dropped}</c>; dropping a missing collection succeeds.</summary>
    DropCollection = 17,
}
