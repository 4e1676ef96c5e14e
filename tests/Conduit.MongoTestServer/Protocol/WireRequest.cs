using MongoDB.Bson;

namespace Conduit.MongoTestServer.Protocol;

/// <summary>A command decoded from an OP_MSG or a legacy OP_QUERY.</summary>
internal sealed class WireRequest
{
    /// <summary>Gets the request id the reply must answer.</summary>
    public required int RequestId { get; init; }

    /// <summary>Gets the message kind the command arrived in; the reply uses the matching kind.</summary>
    public required OpCode OpCode { get; init; }

    /// <summary>Gets the database the command runs against (<c>$db</c>, or the OP_QUERY namespace).</summary>
    public required string Database { get; init; }

    /// <summary>Gets the command body, with every document sequence (kind 1) merged in as an array field.</summary>
    public required BsonDocument Command { get; init; }

    /// <summary>Gets a value indicating whether the client asked for no reply (OP_MSG moreToCome).</summary>
    public bool MoreToCome { get; init; }
}
