using System.Buffers.Binary;

namespace Conduit.MongoTestServer.Protocol;

/// <summary>Reads whole wire-protocol messages from a stream.</summary>
internal static class MessageFramer
{
    /// <summary>Reads the next message, header included, or returns <see langword="null"/> at end of stream.</summary>
    /// <exception cref="InvalidDataException">The length prefix is out of range.</exception>
    public static async ValueTask<byte[]?> ReadAsync(Stream stream, CancellationToken cancellationToken)
    {
        var prefix = new byte[4];
        if (await stream.ReadAtLeastAsync(prefix, 4, throwOnEndOfStream: false, cancellationToken).ConfigureAwait(false) < 4)
        {
            return null;
        }

        var length = BinaryPrimitives.ReadInt32LittleEndian(prefix);
        if (length < MessageHeader.Size || length > BsonCodec.MaxMessageSizeBytes)
        {
            throw new InvalidDataException($"Message length {length} is outside 16..{BsonCodec.MaxMessageSizeBytes}.");
        }

        var message = new byte[length];
        prefix.CopyTo(message, 0);
        var rest = length - 4;
        if (await stream.ReadAtLeastAsync(message.AsMemory(4), rest, throwOnEndOfStream: false, cancellationToken).ConfigureAwait(false) < rest)
        {
            return null;
        }

        return message;
    }
}
