using System.Buffers.Binary;
using System.Text;
using MongoDB.Bson;

namespace Conduit.MongoTestServer.Protocol;

/// <summary>Decodes OP_MSG and OP_QUERY messages into <see cref="WireRequest"/>s.</summary>
internal static class WireRequestParser
{
    private const uint ChecksumPresent = 1u << 0;
    private const uint MoreToCome = 1u << 1;

    /// <summary>Decodes an OP_MSG (opcode 2013).</summary>
    /// <exception cref="InvalidDataException">The message is malformed.</exception>
    public static WireRequest ParseMsg(MessageHeader header, byte[] message)
    {
        var offset = MessageHeader.Size;
        var flags = BinaryPrimitives.ReadUInt32LittleEndian(message.AsSpan(offset));
        offset += 4;
        // The CRC-32C trailer is accepted but not verified: loopback traffic does not get corrupted.
        var end = (flags & ChecksumPresent) != 0 ? message.Length - 4 : message.Length;

        BsonDocument? body = null;
        var sequences = new List<(string Name, BsonArray Documents)>();
        while (offset < end)
        {
            var kind = message[offset++];
            if (kind == 0)
            {
                body = BsonCodec.ReadDocument(message, ref offset, end);
            }
            else if (kind == 1)
            {
                sequences.Add(ReadSequence(message, ref offset, end));
            }
            else
            {
                throw new InvalidDataException($"Unknown OP_MSG section kind {kind}.");
            }
        }

        if (body is null)
        {
            throw new InvalidDataException("OP_MSG without a body section.");
        }

        foreach (var (name, documents) in sequences)
        {
            body[name] = documents;
        }

        return new WireRequest
        {
            RequestId = header.RequestId,
            OpCode = OpCode.Msg,
            Database = body.TryGetValue("$db", out var db) && db.IsString ? db.AsString : string.Empty,
            Command = body,
            MoreToCome = (flags & MoreToCome) != 0,
        };
    }

    /// <summary>Decodes a legacy OP_QUERY (opcode 2004) addressed to <c>db.$cmd</c>.</summary>
    /// <exception cref="InvalidDataException">The message is malformed.</exception>
    public static WireRequest ParseQuery(MessageHeader header, byte[] message)
    {
        var offset = MessageHeader.Size + 4; // flags: tailable, slaveOk… mean nothing to a command
        var fullCollectionName = ReadCString(message, ref offset, message.Length);
        offset += 8; // numberToSkip, numberToReturn
        var query = BsonCodec.ReadDocument(message, ref offset, message.Length);

        // Drivers wrap the command as {$query: {...}, $readPreference: ...} when they add modifiers.
        if (query.TryGetValue("$query", out var wrapped) && wrapped is BsonDocument inner)
        {
            query = inner;
        }

        var dot = fullCollectionName.IndexOf('.', StringComparison.Ordinal);
        return new WireRequest
        {
            RequestId = header.RequestId,
            OpCode = OpCode.Query,
            Database = dot < 0 ? fullCollectionName : fullCollectionName[..dot],
            Command = query,
        };
    }

    /// <summary>Tells whether an OP_QUERY addresses the command pseudo-collection.</summary>
    public static bool IsCommandNamespace(byte[] message)
    {
        var offset = MessageHeader.Size + 4;
        var name = ReadCString(message, ref offset, message.Length);
        return name.EndsWith(".$cmd", StringComparison.Ordinal);
    }

    private static (string Name, BsonArray Documents) ReadSequence(byte[] message, ref int offset, int end)
    {
        var start = offset;
        var size = BinaryPrimitives.ReadInt32LittleEndian(message.AsSpan(offset));
        if (size < 5 || size > end - start)
        {
            throw new InvalidDataException($"Document sequence of {size} bytes does not fit in the message.");
        }

        offset += 4;
        var sequenceEnd = start + size;
        var name = ReadCString(message, ref offset, sequenceEnd);
        var documents = new BsonArray();
        while (offset < sequenceEnd)
        {
            documents.Add(BsonCodec.ReadDocument(message, ref offset, sequenceEnd));
        }

        return (name, documents);
    }

    private static string ReadCString(byte[] message, ref int offset, int end)
    {
        var terminator = Array.IndexOf(message, (byte)0, offset, end - offset);
        if (terminator < 0)
        {
            throw new InvalidDataException("Unterminated C string.");
        }

        var value = Encoding.UTF8.GetString(message, offset, terminator - offset);
        offset = terminator + 1;
        return value;
    }
}
