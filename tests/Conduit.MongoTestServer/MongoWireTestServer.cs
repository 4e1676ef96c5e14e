using System.Collections.Concurrent;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using Conduit.MongoTestServer.Commands;
using Conduit.MongoTestServer.Protocol;
using Conduit.MongoTestServer.Storage;

namespace Conduit.MongoTestServer;

/// <summary>
/// An in-process MongoDB wire-protocol test double: speaks OP_MSG (and the legacy OP_QUERY handshake)
/// on 127.0.0.1, keeps data in memory and can simulate connection faults on demand.
/// </summary>
/// <remarks>
/// It is a test double, not a database: see README.md for what it supports. Each instance owns its
/// listener, its connections and its data; <see cref="DisposeAsync"/> closes all of them.
/// </remarks>
public sealed partial class MongoWireTestServer : IAsyncDisposable
{
    private readonly TcpListener _listener;
    private readonly CancellationTokenSource _shutdown = new();
    private readonly ConcurrentDictionary<int, (ClientConnection Connection, Task Run)> _connections = new();
    private readonly MemoryStore _store = new();
    private readonly CommandDispatcher _dispatcher;
    private Task _acceptLoop = Task.CompletedTask;
    private int _fault;
    private int _nextConnectionId;
    private long _totalConnectionsAccepted;
    private int _disposed;

    private MongoWireTestServer(TcpListener listener)
    {
        _listener = listener;
        _dispatcher = new CommandDispatcher(_store);
        Port = ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    /// <summary>Gets the TCP port the server listens on (ephemeral, chosen by the OS).</summary>
    public int Port { get; }

    /// <summary>Gets a connection string for the driver: <c>mongodb://127.0.0.1:{Port}/?directConnection=true</c>.</summary>
    public string ConnectionString => string.Create(CultureInfo.InvariantCulture, $"mongodb://127.0.0.1:{Port}/?directConnection=true");

    /// <summary>Gets or sets the fault the server simulates; <see cref="MongoFault.None"/> by default.</summary>
    /// <remarks>
    /// Setting <see cref="MongoFault.Refuse"/> or <see cref="MongoFault.Reset"/> acts on the open connections
    /// at once; every fault also applies to connections accepted afterwards until it is set back to None.
    /// </remarks>
    public MongoFault Fault
    {
        get => (MongoFault)Volatile.Read(ref _fault);
        set
        {
            Volatile.Write(ref _fault, (int)value);
            if (value is MongoFault.Refuse or MongoFault.Reset)
            {
                foreach (var entry in _connections.Values)
                {
                    entry.Connection.Abort(reset: value == MongoFault.Reset);
                }
            }
        }
    }

    /// <summary>Gets the number of TCP connections currently being served.</summary>
    public int OpenConnections => _connections.Count;

    /// <summary>Gets the number of TCP connections accepted since start, including those a fault closed at once.</summary>
    public long TotalConnectionsAccepted => Interlocked.Read(ref _totalConnectionsAccepted);

    /// <summary>Starts a server listening on 127.0.0.1 on an ephemeral port.</summary>
    /// <param name="ct">Cancels the start; the running server is stopped with <see cref="DisposeAsync"/>.</param>
    /// <returns>The running server.</returns>
    public static Task<MongoWireTestServer> StartAsync(CancellationToken ct = default)
    {
        ct.ThrowIfCancellationRequested();
        var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var server = new MongoWireTestServer(listener);
        server._acceptLoop = server.AcceptLoopAsync(server._shutdown.Token);
        return Task.FromResult(server);
    }

    /// <summary>Drops every database, collection, index and open cursor.</summary>
    public void Reset() => _store.Clear();

    /// <summary>Stops listening, closes every connection and waits for their loops to end.</summary>
    /// <returns>A task that completes when the server has stopped.</returns>
    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }

        await _shutdown.CancelAsync().ConfigureAwait(false);
        _listener.Stop();
        await _acceptLoop.ConfigureAwait(false);

        var runs = new List<Task>();
        foreach (var entry in _connections.Values)
        {
            entry.Connection.Abort(reset: false);
            runs.Add(entry.Run);
        }

        await Task.WhenAll(runs).ConfigureAwait(false);
        _shutdown.Dispose();
    }
}
