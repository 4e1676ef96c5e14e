using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;

namespace Conduit.Tests.Infrastructure;

/// <summary>
/// A loopback TCP fault proxy placed between a driver and a real server. <see cref="Stop"/> refuses
/// new connections and resets open ones; <see cref="Mode"/> makes accepted connections forward, reset
/// at once, swallow everything (blackhole) or forward with a delay.
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

    /// <summary>What happens to connections accepted from now on.</summary>
    public FaultMode Mode { get; set; } = FaultMode.Forward;

    /// <summary>Delay added before each forwarded chunk in <see cref="FaultMode.Delay"/>.</summary>
    public TimeSpan Delay { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>Connections accepted so far (a driver touching the network shows here).</summary>
    public int Accepted => Volatile.Read(ref _accepted);

    private int _accepted;

    /// <summary>Resets every open connection without stopping the listener.</summary>
    public void ResetOpenConnections()
    {
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

    /// <summary>Refuses nothing, but breaks what it accepts.</summary>
    public enum FaultMode
    {
        /// <summary>Forward both ways.</summary>
        Forward,

        /// <summary>Reset each new connection at once.</summary>
        Reset,

        /// <summary>Accept and read, never answer, never close.</summary>
        Blackhole,

        /// <summary>Forward, waiting <see cref="Delay"/> before each chunk.</summary>
        Delay,
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

            Interlocked.Increment(ref _accepted);
            switch (Mode)
            {
                case FaultMode.Reset:
                    client.LingerState = new LingerOption(true, 0);
                    client.Close();
                    break;
                case FaultMode.Blackhole:
                    _sockets[client] = 0;
                    _ = SwallowAsync(client, cancellationToken);
                    break;
                default:
                    _ = PumpAsync(client, cancellationToken);
                    break;
            }
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

    private async Task SwallowAsync(Socket client, CancellationToken cancellationToken)
    {
        var buffer = new byte[4096];
        try
        {
            while (await client.ReceiveAsync(buffer, SocketFlags.None, cancellationToken) > 0)
            {
            }
        }
        catch (Exception e) when (e is OperationCanceledException or ObjectDisposedException or SocketException)
        {
        }
        finally
        {
            _sockets.TryRemove(client, out _);
            client.Dispose();
        }
    }

    private async Task CopyAsync(Socket from, Socket to, CancellationToken cancellationToken)
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

                if (Mode == FaultMode.Delay)
                {
                    await Task.Delay(Delay, cancellationToken);
                }

                await to.SendAsync(buffer.AsMemory(0, read), SocketFlags.None, cancellationToken);
            }
        }
        catch (Exception e) when (e is OperationCanceledException or ObjectDisposedException or SocketException)
        {
        }
    }
}
