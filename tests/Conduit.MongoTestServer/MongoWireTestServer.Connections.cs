using System.Net.Sockets;
using Conduit.MongoTestServer.Protocol;

namespace Conduit.MongoTestServer;

/// <content>The accept loop and the life of each connection.</content>
public sealed partial class MongoWireTestServer
{
    private async Task AcceptLoopAsync(CancellationToken cancellationToken)
    {
        while (!cancellationToken.IsCancellationRequested)
        {
            Socket socket;
            try
            {
                socket = await _listener.AcceptSocketAsync(cancellationToken).ConfigureAwait(false);
            }
            catch (Exception ex) when (ex is OperationCanceledException or ObjectDisposedException)
            {
                return;
            }
            catch (SocketException) when (!cancellationToken.IsCancellationRequested)
            {
                continue; // a client that gave up between SYN and accept
            }
            catch (SocketException)
            {
                return;
            }

            Interlocked.Increment(ref _totalConnectionsAccepted);
            var fault = Fault;
            if (fault is MongoFault.Refuse or MongoFault.Reset)
            {
                ClientConnection.CloseSocket(socket, reset: fault == MongoFault.Reset);
                continue;
            }

            socket.NoDelay = true;
            var id = Interlocked.Increment(ref _nextConnectionId);
            var connection = new ClientConnection(socket, id, _dispatcher, () => Fault);
            var started = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            _connections[id] = (connection, ServeAsync(connection, started.Task, cancellationToken));
            started.SetResult();

            // A fault set while this connection was being registered must still reach it.
            fault = Fault;
            if (fault is MongoFault.Refuse or MongoFault.Reset)
            {
                connection.Abort(reset: fault == MongoFault.Reset);
            }
        }
    }

    private async Task ServeAsync(ClientConnection connection, Task registered, CancellationToken cancellationToken)
    {
        // Wait until the entry is in the dictionary so that the removal below cannot run before the add.
        await registered.ConfigureAwait(false);
        try
        {
            await connection.RunAsync(cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            _connections.TryRemove(connection.Id, out _);
        }
    }
}
