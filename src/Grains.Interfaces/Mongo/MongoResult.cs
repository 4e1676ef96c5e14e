namespace Conduit.Mongo;

/// <summary>What a MongoDB operation answered, as raw BSON (Orleans cannot serialize the driver's <c>BsonDocument</c>).</summary>
/// <param name="Summary">
/// One raw BSON document with the operation's figures (<c>{count}</c>, <c>{insertedId}</c>, <c>{matchedCount, modifiedCount,
/// upsertedId}</c>…; see <see cref="MongoOperation"/>); empty for operations that only return documents.
/// </param>
/// <param name="Documents">
/// The documents the operation returned, each as raw BSON: the results of <c>find</c> and <c>aggregate</c>, the
/// indexes of <c>listIndexes</c>, the collections of <c>listCollections</c>, zero or one for <c>findOneAndUpdate</c>.
/// Kept apart from the summary so a result is not bounded by BSON's 16 MiB document limit.
/// </param>
[GenerateSerializer, Immutable, Alias("Conduit.MongoResult")]
public sealed record MongoResult(
    [property: Id(0)] byte[] Summary,
    [property: Id(1)] IReadOnlyList<byte[]> Documents);
