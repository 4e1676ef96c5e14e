using System.Globalization;
using System.Net.Sockets;
using System.Security.Cryptography;
using StackExchange.Redis;

namespace Conduit.Bench.Infrastructure;

/// <summary>A private Redis on loopback for this run (no persistence, a password), as ./test.sh starts one.</summary>
internal sealed class RedisServer : IAsyncDisposable
{
    private readonly ChildProcess _process;
    private ConnectionMultiplexer? _admin;

    private RedisServer(ChildProcess process, int port, string password)
    {
        _process = process;
        Port = port;
        Password = password;
    }

    /// <summary>The TCP port on 127.0.0.1.</summary>
    public int Port { get; }

    /// <summary>The password (requirepass).</summary>
    public string Password { get; }

    /// <summary>The server version.</summary>
    public string Version { get; private set; } = string.Empty;

    /// <summary>A StackExchange.Redis configuration for this server (or another port, e.g. a proxy in front of it).</summary>
    public string Configuration(int port = 0, string? extra = null) =>
        string.Create(CultureInfo.InvariantCulture, $"127.0.0.1:{(port == 0 ? Port : port)},password={Password},abortConnect=false{(extra is null ? string.Empty : "," + extra)}");

    /// <summary>Installs redis-server when missing and starts it.</summary>
    public static async Task<RedisServer> StartAsync(StateDirectory state)
    {
        await SystemPackages.EnsureAsync("redis-server", "redis-server").ConfigureAwait(false);
        var dir = state.Sub("redis");
        var port = FreePorts.Next();
        var password = "rd-" + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(12));
        var process = ChildProcess.Start(
            "redis-server",
            ["--port", port.ToString(CultureInfo.InvariantCulture), "--bind", "127.0.0.1", "--requirepass", password, "--save", string.Empty, "--appendonly", "no", "--maxclients", "15000", "--dir", dir],
            Path.Combine(dir, "redis.log"));
        var server = new RedisServer(process, port, password);
        try
        {
            await WaitForPortAsync(port, process, "redis-server").ConfigureAwait(false);
            server._admin = await ConnectionMultiplexer.ConnectAsync(server.Configuration(extra: "name=bench-admin,allowAdmin=true")).ConfigureAwait(false);
            var info = await server._admin.GetServers()[0].InfoAsync("server").ConfigureAwait(false);
            server.Version = info.SelectMany(g => g).FirstOrDefault(p => p.Key == "redis_version").Value ?? string.Empty;
            return server;
        }
        catch
        {
            await server.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    /// <summary>Connected clients (CLIENT LIST) whose client name starts with <paramref name="namePrefix"/>.</summary>
    public async Task<int> CountClientsAsync(string namePrefix)
    {
        var clients = await _admin!.GetServers()[0].ClientListAsync().ConfigureAwait(false);
        return clients.Count(c => c.Name is { } name && name.StartsWith(namePrefix, StringComparison.Ordinal));
    }

    /// <summary>The admin connection's database, for setting up keys.</summary>
    public IDatabase Database => _admin!.GetDatabase();

    public async ValueTask DisposeAsync()
    {
        if (_admin is not null)
        {
            await _admin.DisposeAsync().ConfigureAwait(false);
        }

        await _process.DisposeAsync().ConfigureAwait(false);
    }

    /// <summary>Waits until something accepts TCP connections on <paramref name="port"/>.</summary>
    public static async Task WaitForPortAsync(int port, ChildProcess process, string name, TimeSpan? timeout = null)
    {
        var deadline = DateTime.UtcNow + (timeout ?? TimeSpan.FromSeconds(30));
        while (DateTime.UtcNow < deadline)
        {
            if (process.HasExited)
            {
                throw new InvalidOperationException($"{name} exited with code {process.ExitCode} while starting:\n{process.Tail()}");
            }

            try
            {
                using var client = new TcpClient();
                await client.ConnectAsync("127.0.0.1", port).ConfigureAwait(false);
                return;
            }
            catch (SocketException)
            {
                await Task.Delay(50).ConfigureAwait(false);
            }
        }

        throw new InvalidOperationException($"{name} did not listen on 127.0.0.1:{port} in time:\n{process.Tail()}");
    }
}
