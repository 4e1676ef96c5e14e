using System.Globalization;

namespace Conduit.Bench.Infrastructure;

/// <summary>Debian's PgBouncer in transaction mode on loopback, in front of the run's PostgreSQL.</summary>
internal sealed class PgBouncerServer : IAsyncDisposable
{
    private readonly ChildProcess _process;

    private PgBouncerServer(ChildProcess process, int port, int poolSize)
    {
        _process = process;
        Port = port;
        PoolSize = poolSize;
    }

    /// <summary>The TCP port on 127.0.0.1.</summary>
    public int Port { get; }

    /// <summary>Server connections per database/user pair (default_pool_size).</summary>
    public int PoolSize { get; }

    /// <summary>The PgBouncer version line.</summary>
    public string Version { get; private set; } = string.Empty;

    /// <summary>Installs pgbouncer when missing and starts it for <paramref name="database"/> on <paramref name="postgres"/>.</summary>
    public static async Task<PgBouncerServer> StartAsync(StateDirectory state, PostgresServer postgres, string database, int poolSize)
    {
        await SystemPackages.EnsureAsync("/usr/sbin/pgbouncer", "pgbouncer").ConfigureAwait(false);
        var dir = state.Sub("pgbouncer");
        var port = FreePorts.Next();
        var ini = Path.Combine(dir, "pgbouncer.ini");
        var users = Path.Combine(dir, "userlist.txt");
        await File.WriteAllTextAsync(users, $"\"postgres\" \"{postgres.Password}\"\n").ConfigureAwait(false);
        await File.WriteAllTextAsync(ini, string.Create(CultureInfo.InvariantCulture, $"""
            [databases]
            {database} = host=127.0.0.1 port={postgres.Port} dbname={database}

            [pgbouncer]
            listen_addr = 127.0.0.1
            listen_port = {port}
            unix_socket_dir =
            auth_type = scram-sha-256
            auth_file = {users}
            pool_mode = transaction
            default_pool_size = {poolSize}
            max_client_conn = 2000
            max_db_connections = 0
            server_reset_query =
            ignore_startup_parameters = extra_float_digits,options
            log_connections = 0
            log_disconnections = 0
            pidfile = {Path.Combine(dir, "pgbouncer.pid")}

            """)).ConfigureAwait(false);
        await ServiceAccount.GiveAsync(dir).ConfigureAwait(false);
        var (file, args) = ServiceAccount.Wrap("/usr/sbin/pgbouncer", ini);
        var process = ChildProcess.Start(file, args, Path.Combine(state.Path, "pgbouncer.log"));
        try
        {
            await RedisServer.WaitForPortAsync(port, process, "pgbouncer").ConfigureAwait(false);
        }
        catch
        {
            await process.DisposeAsync().ConfigureAwait(false);
            throw;
        }

        var (_, version) = await ChildProcess.RunAsync("/usr/sbin/pgbouncer", ["--version"]).ConfigureAwait(false);
        return new PgBouncerServer(process, port, poolSize) { Version = version.Split('\n')[0].Trim() };
    }

    public async ValueTask DisposeAsync() => await _process.DisposeAsync().ConfigureAwait(false);
}
