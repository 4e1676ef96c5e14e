using System.Net.Sockets;
using Conduit.MongoTestServer.Commands;
using MongoDB.Bson;

namespace Conduit.MongoTestServer.Protocol;

/// <summary>One accepted TCP connection: reads requests, runs them and writes the replies.</summary>
/// <remarks>Owned by <see cref="MongoWireTestServer"/>; the socket is closed when <see cref="RunAsync"/> ends.</remarks>
internal sealed class ClientConnection
{
    private readonly Socket _socket;
    private readonly CommandDispatcher _dispatcher;
    private readonly Func<MongoFault> _fault;
    private int _closed;

    /// <summary>Initializes a new instance of the <see cref="ClientConnection"/> class.</summary>
    public ClientConnection(Socket socket, int id, CommandDispatcher dispatcher, Func<MongoFault> fault)
    {
        _socket = socket;
        Id = id;
        _dispatcher = dispatcher;
        _fault = fault;
    }

    /// <summary>Gets the connection id reported as <c>connectionId</c> in <c>hello</c>.</summary>
    public int Id { get; }

    /// <summary>Serves requests until the client disconnects, the connection is aborted or the server stops.</summary>
    public async Task RunAsync(CancellationToken cancellationToken)
    {
        try
        {
            using var stream = new NetworkStream(_socket, ownsSocket: false);
            while (!cancellationToken.IsCancellationRequested)
            {
                var message = await MessageFramer.ReadAsync(stream, cancellationToken).ConfigureAwait(false);
                if (message is null)
                {
                    break;
                }

                switch (_fault())
                {
                    case MongoFault.Stall:
                        continue; // read, never answered
                    case MongoFault.Refuse:
                        Abort(reset: false);
                        return;
                    case MongoFault.Reset:
                        Abort(reset: true);
                        return;
                }

                var reply = Handle(message);
                if (reply is not null)
                {
                    await stream.WriteAsync(reply, cancellationToken).ConfigureAwait(false);
                }
            }
        }
        catch (Exception ex) when (ex is IOException or SocketException or ObjectDisposedException or OperationCanceledException or InvalidDataException)
        {
            // The peer went away, the fault switch aborted us, or the bytes were not a wire message:
            // every case ends this connection and nothing else.
        }
        finally
        {
            Abort(reset: false);
        }
    }

    /// <summary>Closes the socket gracefully (FIN) or abortively (RST). Safe to call more than once.</summary>
    public void Abort(bool reset)
    {
        if (Interlocked.Exchange(ref _closed, 1) != 0)
        {
            return;
        }

        CloseSocket(_socket, reset);
    }

    /// <summary>Closes <paramref name="socket"/>, with RST when <paramref name="reset"/> is set.</summary>
    public static void CloseSocket(Socket socket, bool reset)
    {
        try
        {
            if (reset)
            {
                // Linger on with a zero timeout makes close() send RST instead of FIN.
                socket.LingerState = new LingerOption(true, 0);
            }
            else
            {
                socket.Shutdown(SocketShutdown.Both);
            }
        }
        catch (Exception ex) when (ex is SocketException or ObjectDisposedException)
        {
            // Already disconnected; closing below is all that is left to do.
        }

        socket.Close();
    }

    private byte[]? Handle(byte[] message)
    {
        var header = MessageHeader.Read(message);
        switch (header.OpCode)
        {
            case OpCode.Msg:
                var request = WireRequestParser.ParseMsg(header, message);
                var reply = _dispatcher.Execute(request.Database, request.Command, Id);
                return request.MoreToCome ? null : WireReplyWriter.Msg(header.RequestId, reply);

            case OpCode.Query when WireRequestParser.IsCommandNamespace(message):
                var query = WireRequestParser.ParseQuery(header, message);
                return WireReplyWriter.Reply(header.RequestId, _dispatcher.Execute(query.Database, query.Command, Id));

            case OpCode.Query:
                var failure = new BsonDocument { { "$err", "OP_QUERY is only supported for commands" }, { "code", 5739101 } };
                return WireReplyWriter.Reply(header.RequestId, failure, queryFailure: true);

            default:
                throw new InvalidDataException($"Unsupported opcode {(int)header.OpCode}.");
        }
    }
}
