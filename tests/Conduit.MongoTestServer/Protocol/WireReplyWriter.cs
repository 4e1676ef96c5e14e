using System.Buffers.Binary;
using MongoDB.Bson;

namespace Conduit.MongoTestServer.Protocol;

/// <summary>Encodes command replies as OP_MSG or legacy OP_REPLY messages.</summary>
internal static class WireReplyWriter
{
    private const int QueryFailure = 1 << 1;
    private static int _nextRequestId;

    /// <summary>Encodes <paramref name="body"/> as an OP_MSG with a single kind-0 section.</summary>
    public static byte[] Msg(int responseTo, BsonDocument body)
    {
        var bson = BsonCodec.WriteDocument(body);
        var length = MessageHeader.Size + 4 + 1 + bson.Length;
        var buffer = new byte[length];
        new MessageHeader(length, NextRequestId(), responseTo, OpCode.Msg).Write(buffer);
        // flagBits stay 0: the server never sets moreToCome, so the client always sends the next request.
        buffer[MessageHeader.Size + 4] = 0;
        bson.CopyTo(buffer, MessageHeader.Size + 5);
        return buffer;
    }

    /// <summary>Encodes <paramref name="document"/> as an OP_REPLY holding one document.</summary>
    public static byte[] Reply(int responseTo, BsonDocument document, bool queryFailure = false)
    {
        var bson = BsonCodec.WriteDocument(document);
        var length = MessageHeader.Size + 20 + bson.Length;
        var buffer = new byte[length];
        new MessageHeader(length, NextRequestId(), responseTo, OpCode.Reply).Write(buffer);
        var span = buffer.AsSpan(MessageHeader.Size);
        BinaryPrimitives.WriteInt32LittleEndian(span, queryFailure ? QueryFailure : 0);
        BinaryPrimitives.WriteInt64LittleEndian(span[4..], 0); // cursorID
        BinaryPrimitives.WriteInt32LittleEndian(span[12..], 0); // startingFrom
        BinaryPrimitives.WriteInt32LittleEndian(span[16..], 1); // numberReturned
        bson.CopyTo(buffer, MessageHeader.Size + 20);
        return buffer;
    }

    private static int NextRequestId() => Interlocked.Increment(ref _nextRequestId);
}
