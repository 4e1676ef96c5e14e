using System.Buffers.Binary;
using MongoDB.Bson;
using MongoDB.Bson.IO;
using MongoDB.Bson.Serialization;
using MongoDB.Bson.Serialization.Serializers;

namespace Conduit.MongoTestServer.Protocol;

/// <summary>Reads and writes raw BSON documents inside wire messages.</summary>
internal static class BsonCodec
{
    /// <summary>Largest message the server accepts or sends, as advertised in <c>hello</c>.</summary>
    public const int MaxMessageSizeBytes = 48_000_000;

    /// <summary>Largest user document, as advertised in <c>hello</c>.</summary>
    public const int MaxBsonObjectSize = 16 * 1024 * 1024;

    /// <summary>Reads the BSON document that starts at <paramref name="offset"/> and advances past it.</summary>
    /// <exception cref="InvalidDataException">The document overruns <paramref name="end"/>.</exception>
    public static BsonDocument ReadDocument(byte[] buffer, ref int offset, int end)
    {
        if (end - offset < 5)
        {
            throw new InvalidDataException("Truncated BSON document.");
        }

        var size = BinaryPrimitives.ReadInt32LittleEndian(buffer.AsSpan(offset));
        if (size < 5 || size > end - offset)
        {
            throw new InvalidDataException($"BSON document of {size} bytes does not fit in the message.");
        }

        using var stream = new MemoryStream(buffer, offset, size, writable: false);
        // Replies and command bodies may exceed 16 MiB by the envelope; the message size is the real bound.
        using var reader = new BsonBinaryReader(stream, new BsonBinaryReaderSettings { MaxDocumentSize = MaxMessageSizeBytes });
        var document = BsonDocumentSerializer.Instance.Deserialize(BsonDeserializationContext.CreateRoot(reader));
        offset += size;
        return document;
    }

    /// <summary>Serializes <paramref name="document"/> to BSON bytes.</summary>
    public static byte[] WriteDocument(BsonDocument document)
    {
        using var stream = new MemoryStream();
        using (var writer = new BsonBinaryWriter(stream, new BsonBinaryWriterSettings { MaxDocumentSize = MaxMessageSizeBytes }))
        {
            BsonDocumentSerializer.Instance.Serialize(BsonSerializationContext.CreateRoot(writer), document);
        }

        return stream.ToArray();
    }

    /// <summary>Returns the serialized size of <paramref name="document"/> in bytes.</summary>
    public static int SizeOf(BsonDocument document) => WriteDocument(document).Length;
}
