using System.Buffers.Binary;

namespace Conduit.MongoTestServer.Protocol;

/// <summary>The 16-byte header that starts every wire-protocol message.</summary>
/// <param name="MessageLength">Total message length in bytes, header included.</param>
/// <param name="RequestId">Identifier the sender gave this message.</param>
/// <param name="ResponseTo">Request this message answers, or 0.</param>
/// <param name="OpCode">Kind of message.</param>
internal readonly record struct MessageHeader(int MessageLength, int RequestId, int ResponseTo, OpCode OpCode)
{
    /// <summary>Size of the header in bytes.</summary>
    public const int Size = 16;

    /// <summary>Reads a header from the first 16 bytes of <paramref name="buffer"/>.</summary>
    public static MessageHeader Read(ReadOnlySpan<byte> buffer) => new(
        BinaryPrimitives.ReadInt32LittleEndian(buffer),
        BinaryPrimitives.ReadInt32LittleEndian(buffer[4..]),
        BinaryPrimitives.ReadInt32LittleEndian(buffer[8..]),
        (OpCode)BinaryPrimitives.ReadInt32LittleEndian(buffer[12..]));

    /// <summary>Writes this header into the first 16 bytes of <paramref name="buffer"/>.</summary>
    public void Write(Span<byte> buffer)
    {
        BinaryPrimitives.WriteInt32LittleEndian(buffer, MessageLength);
        BinaryPrimitives.WriteInt32LittleEndian(buffer[4..], RequestId);
        BinaryPrimitives.WriteInt32LittleEndian(buffer[8..], ResponseTo);
        BinaryPrimitives.WriteInt32LittleEndian(buffer[12..], (int)OpCode);
    }
}
