using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;

namespace Conduit.Tests.Infrastructure;

/// <summary>
/// A loopback TCP forwarder placed between a driver and a real server, so a test can make the
/// server "go away" (stop: refuse new connections and reset open ones) and "come back" (start).
/// </summary>
public sealed class TcpForwarder : IAsyncDisposable
{
    private readonly IPEndPoint _target;
    private readonly ConcurrentDictionary<Socket, byte> _sockets = new();
    private TcpListener? _listener;
    private CancellationTokenSource? _stopping;

    public TcpForwarder(IPEndPoint target, int port = 0)
    {
        _target = target;
        Port = port;
    }

    public int Port { get; private set; }

    public static TcpForwarder ToPostgres(string connectionString)
    {
        var builder = new Npgsql.NpgsqlConnectionStringBuilder(connectionString);
        return new TcpForwarder(new IPEndPoint(IPAddress.Parse(builder.Host!), builder.Port));
    }

    public void Start()
    {
        var listener = new TcpListener(IPAddress.Loopback, Port);
        listener.Server.SetSocketOption(SocketOptionLevel.Socket, SocketOptionName.ReuseAddress, true);
        listener.Start();
        Port = ((IPEndPoint)listener.LocalEndpoint).Port;
        _listener = listener;
        _stopping = new CancellationTokenSource();
        _ = AcceptLoopAsync(listener, _stopping.Token);
    }

    /// <summary>Stops listening (new connections are refused) and resets every open connection.</summary>
    public void Stop()
    {
        _stopping?.Cancel();
        _listener?.Stop();
        _listener = null;
        foreach (var socket in _sockets.Keys)
        {
            try
            {
                socket.LingerState = new LingerOption(true, 0);
                socket.Close();
            }
            catch (ObjectDisposedException)
            {
            }

            _sockets.TryRemove(socket, out _);
        }
    }

    public ValueTask DisposeAsync()
    {
        Stop();
        return ValueTask.CompletedTask;
    }

    private async Task AcceptLoopAsync(TcpListener listener, CancellationToken cancellationToken)
    {
        while (!cancellationToken.IsCancellationRequested)
        {
            Socket client;
            try
            {
                client = await listener.AcceptSocketAsync(cancellationToken);
            }
            catch (Exception e) when (e is OperationCanceledException or ObjectDisposedException or SocketException)
            {
                return;
            }

            _ = PumpAsync(client, cancellationToken);
        }
    }

    private async Task PumpAsync(Socket client, CancellationToken cancellationToken)
    {
        var server = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        _sockets[client] = 0;
        _sockets[server] = 0;
        try
        {
            await server.ConnectAsync(_target, cancellationToken);
            await Task.WhenAny(CopyAsync(client, server, cancellationToken), CopyAsync(server, client, cancellationToken));
        }
        catch (Exception e) when (e is OperationCanceledException or ObjectDisposedException or SocketException)
        {
        }
        finally
        {
            _sockets.TryRemove(client, out _);
            _sockets.TryRemove(server, out _);
            client.Dispose();
            server.Dispose();
        }
    }

    private static async Task CopyAsync(Socket from, Socket to, CancellationToken cancellationToken)
    {
        var buffer = new byte[16 * 1024];
        try
        {
            while (true)
            {
                var read = await from.ReceiveAsync(buffer, SocketFlags.None, cancellationToken);
                if (read == 0)
                {
                    return;
                }

                await to.SendAsync(buffer.AsMemory(0, read), SocketFlags.None, cancellationToken);
            }
        }
        catch (Exception e) when (e is OperationCanceledException or ObjectDisposedException or SocketException)
        {
        }
    }
}
