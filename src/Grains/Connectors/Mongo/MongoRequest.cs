using Conduit.Mongo;
using MongoDB.Bson;
using MongoDB.Driver;

namespace Conduit.Connectors.Mongo;

/// <summary>
/// One validated MongoDB operation, ready for the driver: built by <see cref="MongoRequestParser"/> before
/// the call takes a concurrency permit, so a bad argument never costs the tenant a slot or a round trip.
/// </summary>
/// <remarks>Only the fields the operation uses are set.</remarks>
internal sealed record MongoRequest
{
    public required MongoOperation Operation { get; init; }

    public required string Database { get; init; }

    /// <summary>Null for database-level operations.</summary>
    public string? Collection { get; init; }

    /// <summary>Other databases the operation writes to (<c>$out</c> / <c>$merge</c> targets), checked against the registration.</summary>
    public IReadOnlyList<string> OtherDatabases { get; init; } = [];

    public BsonDocument Filter { get; init; } = [];

    public BsonDocument? Sort { get; init; }

    public BsonDocument? Projection { get; init; }

    public int Skip { get; init; }

    /// <summary>0 means no limit (MongoDB's convention); the row cap still applies to what is returned.</summary>
    public int Limit { get; init; }

    /// <summary>The documents of insertOne (one) and insertMany.</summary>
    public IReadOnlyList<BsonDocument> Documents { get; init; } = [];

    public UpdateDefinition<BsonDocument>? Update { get; init; }

    public BsonDocument? Replacement { get; init; }

    public bool Upsert { get; init; }

    public bool Ordered { get; init; } = true;

    /// <summary>findOneAndUpdate returns the document after the update rather than before.</summary>
    public bool ReturnAfter { get; init; }

    public bool AllowDiskUse { get; init; }

    public IReadOnlyList<BsonDocument> Pipeline { get; init; } = [];

    public IReadOnlyList<WriteModel<BsonDocument>> Writes { get; init; } = [];

    public CreateIndexModel<BsonDocument>? Index { get; init; }

    public string? IndexName { get; init; }

    public CreateCollectionOptions<BsonDocument>? CollectionOptions { get; init; }
}
