using System.Diagnostics;
using System.Net;
using System.Net.Sockets;

namespace Conduit.Tests.Infrastructure;

/// <summary>
/// A PostgreSQL server of the test's own (initdb into a temp folder, trust auth on loopback), for
/// tests that stop or restart the server and must not disturb the shared one.
/// </summary>
public sealed class PrivatePostgres : IAsyncDisposable
{
    private readonly string _dir;
    private readonly string _bin;
    private readonly string _user;

    private PrivatePostgres(string dir, string bin, string user, int port)
    {
        _dir = dir;
        _bin = bin;
        _user = user;
        Port = port;
    }

    public int Port { get; }

    public string ConnectionString => $"Host=127.0.0.1;Port={Port};Username=postgres;Database=postgres";

    public static async Task<PrivatePostgres> StartAsync()
    {
        var bin = Environment.GetEnvironmentVariable("CONDUIT_TEST_PG_BIN") ?? throw new InvalidOperationException("CONDUIT_TEST_PG_BIN is not set: run the tests through ./test.sh.");
        var user = Environment.GetEnvironmentVariable("CONDUIT_TEST_PG_USER") ?? "postgres";
        var dir = Path.Combine(Path.GetTempPath(), $"conduit-pg-{Guid.NewGuid():N}");
        Directory.CreateDirectory(dir);
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        var server = new PrivatePostgres(dir, bin, user, port);
        await RunAsync("chown", "-R", user, dir);
        await server.RunAsPostgresAsync("initdb", "-D", Path.Combine(dir, "data"), "-U", "postgres", "--auth=trust");
        await server.StartServerAsync();
        return server;
    }

    public Task StartServerAsync() => RunAsPostgresAsync(
        "pg_ctl", "-D", Path.Combine(_dir, "data"), "-l", Path.Combine(_dir, "log"), "-w", "-t", "60",
        "-o", $"-p {Port} -c listen_addresses=127.0.0.1 -c unix_socket_directories={_dir} -c fsync=off", "start");

    /// <summary>Restarts the server for real (fast shutdown: open sessions are terminated).</summary>
    public Task RestartAsync() => RunAsPostgresAsync(
        "pg_ctl", "-D", Path.Combine(_dir, "data"), "-l", Path.Combine(_dir, "log"), "-w", "-t", "60", "-m", "fast",
        "-o", $"-p {Port} -c listen_addresses=127.0.0.1 -c unix_socket_directories={_dir} -c fsync=off", "restart");

    public async ValueTask DisposeAsync()
    {
        await RunAsPostgresAsync("pg_ctl", "-D", Path.Combine(_dir, "data"), "-m", "immediate", "stop");
        Directory.Delete(_dir, recursive: true);
    }

    private Task RunAsPostgresAsync(string tool, params string[] args) =>
        Environment.UserName == "root"
            ? RunAsync("runuser", ["-u", _user, "--", Path.Combine(_bin, tool), .. args])
            : RunAsync(Path.Combine(_bin, tool), args);

    private static async Task RunAsync(string file, params string[] args)
    {
        if (file == "chown" && Environment.UserName != "root")
        {
            return;
        }

        var start = new ProcessStartInfo(file) { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var arg in args)
        {
            start.ArgumentList.Add(arg);
        }

        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"{file} {string.Join(' ', args)} exited {process.ExitCode}: {await output}{await error}");
        }
    }
}
