using System.Buffers.Binary;
using System.Net;
using System.Net.Sockets;
using System.Text;
using MongoDB.Bson;

namespace Conduit.MongoTestServer.Tests;

/// <summary>A byte-level wire-protocol client for what the driver never sends (checksums, moreToCome, OP_QUERY by hand).</summary>
internal sealed class RawWireClient : IDisposable
{
    public const uint ChecksumPresent = 1;
    public const uint MoreToCome = 2;

    private readonly TcpClient _tcp;
    private readonly NetworkStream _stream;
    private int _nextRequestId;

    private RawWireClient(TcpClient tcp)
    {
        _tcp = tcp;
        _stream = tcp.GetStream();
    }

    public static async Task<RawWireClient> ConnectAsync(int port)
    {
        var tcp = new TcpClient();
        await tcp.ConnectAsync(IPAddress.Loopback, port);
        return new RawWireClient(tcp);
    }

    public Task<int> SendMsgAsync(BsonDocument body, uint flags = 0, string? sequenceName = null, params BsonDocument[] sequence)
    {
        using var payload = new MemoryStream();
        payload.Write(LittleEndian(flags));
        payload.WriteByte(0);
        payload.Write(body.ToBson());
        if (sequenceName is not null)
        {
            var documents = sequence.SelectMany(d => d.ToBson()).ToArray();
            var name = Encoding.UTF8.GetBytes(sequenceName + "\0");
            payload.WriteByte(1);
            payload.Write(LittleEndian((uint)(4 + name.Length + documents.Length)));
            payload.Write(name);
            payload.Write(documents);
        }

        if ((flags & ChecksumPresent) != 0)
        {
            payload.Write(LittleEndian(0xDEADBEEF)); // the server accepts the trailer without verifying it
        }

        return SendAsync(2013, payload.ToArray());
    }

    public Task<int> SendQueryAsync(string fullCollectionName, BsonDocument query)
    {
        using var payload = new MemoryStream();
        payload.Write(LittleEndian(0u));
        payload.Write(Encoding.UTF8.GetBytes(fullCollectionName + "\0"));
        payload.Write(LittleEndian(0u));
        payload.Write(LittleEndian(unchecked((uint)-1)));
        payload.Write(query.ToBson());
        return SendAsync(2004, payload.ToArray());
    }

    public async Task SendRawAsync(byte[] bytes) => await _stream.WriteAsync(bytes);

    public async Task<(int ResponseTo, int OpCode, BsonDocument Document)> ReadReplyAsync()
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(5));
        var header = new byte[16];
        await _stream.ReadExactlyAsync(header, timeout.Token);
        var length = BinaryPrimitives.ReadInt32LittleEndian(header);
        var body = new byte[length - 16];
        await _stream.ReadExactlyAsync(body, timeout.Token);
        var opCode = BinaryPrimitives.ReadInt32LittleEndian(header.AsSpan(12));
        var documentOffset = opCode == 1 ? 20 : 5; // OP_REPLY: flags, cursorId, startingFrom, numberReturned; OP_MSG: flags, kind
        var document = MongoDB.Bson.Serialization.BsonSerializer.Deserialize<BsonDocument>(body.AsSpan(documentOffset).ToArray());
        return (BinaryPrimitives.ReadInt32LittleEndian(header.AsSpan(8)), opCode, document);
    }

    public async Task<bool> IsClosedByPeerAsync()
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(5));
        var buffer = new byte[1];
        return await _stream.ReadAsync(buffer, timeout.Token) == 0;
    }

    public void Dispose() => _tcp.Dispose();

    private static byte[] LittleEndian(uint value)
    {
        var bytes = new byte[4];
        BinaryPrimitives.WriteUInt32LittleEndian(bytes, value);
        return bytes;
    }

    private async Task<int> SendAsync(int opCode, byte[] payload)
    {
        var requestId = Interlocked.Increment(ref _nextRequestId);
        var message = new byte[16 + payload.Length];
        BinaryPrimitives.WriteInt32LittleEndian(message, message.Length);
        BinaryPrimitives.WriteInt32LittleEndian(message.AsSpan(4), requestId);
        BinaryPrimitives.WriteInt32LittleEndian(message.AsSpan(12), opCode);
        payload.CopyTo(message, 16);
        await _stream.WriteAsync(message);
        return requestId;
    }
}
