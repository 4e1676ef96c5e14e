using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;

namespace Conduit.Bench.Infrastructure;

/// <summary>
/// A loopback TCP proxy in front of one database that can blackhole it: while blackholed, connections
/// are still accepted but no byte goes through in either direction, as when a network path silently
/// drops packets. Queries then hang until the caller's timeout, the worst kind of outage for a pool.
/// </summary>
internal sealed class FaultProxy : IAsyncDisposable
{
    private readonly IPEndPoint _target;
    private readonly TcpListener _listener;
    private readonly CancellationTokenSource _stopping = new();
    private readonly ConcurrentDictionary<Socket, byte> _sockets = new();
    private volatile bool _blackholed;

    private FaultProxy(IPEndPoint target)
    {
        _target = target;
        _listener = new TcpListener(IPAddress.Loopback, 0);
        _listener.Start(512);
        Port = ((IPEndPoint)_listener.LocalEndpoint).Port;
        _ = AcceptLoopAsync();
    }

    /// <summary>The port to connect to instead of the database's.</summary>
    public int Port { get; }

    /// <summary>True while traffic is dropped.</summary>
    public bool Blackholed => _blackholed;

    /// <summary>Starts forwarding to 127.0.0.1:<paramref name="targetPort"/>.</summary>
    public static FaultProxy Start(int targetPort) => new(new IPEndPoint(IPAddress.Loopback, targetPort));

    /// <summary>From now on drop every byte, on open and new connections alike.</summary>
    public void Blackhole() => _blackholed = true;

    /// <summary>Forward again (connections opened while blackholed stay dead).</summary>
    public void Heal() => _blackholed = false;

    public ValueTask DisposeAsync()
    {
        _stopping.Cancel();
        _listener.Stop();
        foreach (var socket in _sockets.Keys)
        {
            socket.Dispose();
        }

        _stopping.Dispose();
        return ValueTask.CompletedTask;
    }

    private async Task AcceptLoopAsync()
    {
        while (!_stopping.IsCancellationRequested)
        {
            Socket client;
            try
            {
                client = await _listener.AcceptSocketAsync(_stopping.Token).ConfigureAwait(false);
            }
            catch (Exception e) when (e is OperationCanceledException or ObjectDisposedException or SocketException)
            {
                return;
            }

            _ = ServeAsync(client);
        }
    }

    private async Task ServeAsync(Socket client)
    {
        client.NoDelay = true;
        _sockets[client] = 0;
        Socket? server = null;
        try
        {
            if (_blackholed)
            {
                // Accepted, never answered: the client's connect timeout has to fire.
                await DrainAsync(client).ConfigureAwait(false);
                return;
            }

            server = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
            _sockets[server] = 0;
            await server.ConnectAsync(_target, _stopping.Token).ConfigureAwait(false);
            await Task.WhenAny(PumpAsync(client, server), PumpAsync(server, client)).ConfigureAwait(false);
        }
        catch (Exception e) when (e is OperationCanceledException or ObjectDisposedException or SocketException)
        {
        }
        finally
        {
            _sockets.TryRemove(client, out _);
            client.Dispose();
            if (server is not null)
            {
                _sockets.TryRemove(server, out _);
                server.Dispose();
            }
        }
    }

    private async Task PumpAsync(Socket from, Socket to)
    {
        var buffer = new byte[16 * 1024];
        try
        {
            while (true)
            {
                var read = await from.ReceiveAsync(buffer, SocketFlags.None, _stopping.Token).ConfigureAwait(false);
                if (read == 0)
                {
                    return;
                }

                if (!_blackholed)
                {
                    await to.SendAsync(buffer.AsMemory(0, read), SocketFlags.None, _stopping.Token).ConfigureAwait(false);
                }
            }
        }
        catch (Exception e) when (e is OperationCanceledException or ObjectDisposedException or SocketException)
        {
        }
    }

    private async Task DrainAsync(Socket socket)
    {
        var buffer = new byte[4096];
        try
        {
            while (await socket.ReceiveAsync(buffer, SocketFlags.None, _stopping.Token).ConfigureAwait(false) > 0)
            {
            }
        }
        catch (Exception e) when (e is OperationCanceledException or ObjectDisposedException or SocketException)
        {
        }
    }
}
