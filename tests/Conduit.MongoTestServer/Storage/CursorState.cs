using MongoDB.Bson;

namespace Conduit.MongoTestServer.Storage;

/// <summary>An open server-side cursor: the rest of a result set, served by getMore.</summary>
/// <param name="Namespace">The namespace reported in cursor replies.</param>
/// <param name="Remaining">The documents not yet returned.</param>
internal sealed record CursorState(string Namespace, Queue<BsonDocument> Remaining);
