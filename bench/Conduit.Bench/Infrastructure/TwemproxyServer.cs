using System.Globalization;

namespace Conduit.Bench.Infrastructure;

/// <summary>Debian's twemproxy (nutcracker) on loopback, in front of the run's Redis.</summary>
internal sealed class TwemproxyServer : IAsyncDisposable
{
    private readonly ChildProcess _process;

    private TwemproxyServer(ChildProcess process, int port)
    {
        _process = process;
        Port = port;
    }

    /// <summary>The TCP port on 127.0.0.1.</summary>
    public int Port { get; }

    /// <summary>The nutcracker version line.</summary>
    public string Version { get; private set; } = string.Empty;

    /// <summary>Installs nutcracker when missing and starts it in front of <paramref name="redis"/>.</summary>
    public static async Task<TwemproxyServer> StartAsync(StateDirectory state, RedisServer redis)
    {
        await SystemPackages.EnsureAsync("/usr/sbin/nutcracker", "nutcracker").ConfigureAwait(false);
        var dir = state.Sub("twemproxy");
        var port = FreePorts.Next();
        var statsPort = FreePorts.Next();
        var config = Path.Combine(dir, "nutcracker.yml");
        await File.WriteAllTextAsync(config, string.Create(CultureInfo.InvariantCulture, $"""
            bench:
              listen: 127.0.0.1:{port}
              redis: true
              redis_auth: {redis.Password}
              hash: fnv1a_64
              distribution: ketama
              auto_eject_hosts: false
              preconnect: true
              server_connections: 1
              timeout: 10000
              servers:
                - 127.0.0.1:{redis.Port}:1

            """)).ConfigureAwait(false);
        var process = ChildProcess.Start(
            "/usr/sbin/nutcracker",
            ["-c", config, "-s", statsPort.ToString(CultureInfo.InvariantCulture), "-a", "127.0.0.1", "-p", Path.Combine(dir, "nutcracker.pid"), "-v", "4"],
            Path.Combine(dir, "nutcracker.log"));
        try
        {
            await RedisServer.WaitForPortAsync(port, process, "nutcracker").ConfigureAwait(false);
        }
        catch
        {
            await process.DisposeAsync().ConfigureAwait(false);
            throw;
        }

        var (_, version) = await ChildProcess.RunAsync("/usr/sbin/nutcracker", ["--version"]).ConfigureAwait(false);
        return new TwemproxyServer(process, port) { Version = version.Split('\n')[0].Trim() };
    }

    public async ValueTask DisposeAsync() => await _process.DisposeAsync().ConfigureAwait(false);
}
