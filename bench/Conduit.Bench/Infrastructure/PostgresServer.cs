using System.Security.Cryptography;
using Npgsql;

namespace Conduit.Bench.Infrastructure;

/// <summary>A private PostgreSQL on loopback for this run, started the way ./test.sh starts the test one.</summary>
internal sealed class PostgresServer : IAsyncDisposable
{
    private readonly string _binDir;
    private readonly string _dataDir;

    private PostgresServer(string binDir, string dataDir, int port, string password, int maxConnections)
    {
        _binDir = binDir;
        _dataDir = dataDir;
        Port = port;
        Password = password;
        MaxConnections = maxConnections;
    }

    /// <summary>The TCP port on 127.0.0.1.</summary>
    public int Port { get; }

    /// <summary>The superuser's password.</summary>
    public string Password { get; }

    /// <summary>The server's max_connections.</summary>
    public int MaxConnections { get; }

    /// <summary>The server version, e.g. 15.14.</summary>
    public string Version { get; private set; } = string.Empty;

    /// <summary>A superuser connection string to <paramref name="database"/>.</summary>
    public string ConnectionString(string database = "postgres", int port = 0) => new NpgsqlConnectionStringBuilder
    {
        Host = "127.0.0.1",
        Port = port == 0 ? Port : port,
        Username = "postgres",
        Password = Password,
        Database = database,
    }.ConnectionString;

    /// <summary>Installs PostgreSQL when missing, then initializes and starts a fresh cluster.</summary>
    public static async Task<PostgresServer> StartAsync(StateDirectory state, int maxConnections)
    {
        var binDir = FindBinDir();
        if (binDir is null)
        {
            await SystemPackages.EnsureAsync("/usr/bin/psql", "postgresql").ConfigureAwait(false);
            binDir = FindBinDir() ?? throw new InvalidOperationException("PostgreSQL is installed but /usr/lib/postgresql/*/bin/initdb is missing.");
        }

        var dataDir = state.Sub("pg");
        var socketDir = state.Sub("pgsock");
        var logDir = state.Sub("pglog");
        var password = "pg-" + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(12));
        var passwordFile = Path.Combine(state.Path, "pgpass");
        await File.WriteAllTextAsync(passwordFile, password + "\n").ConfigureAwait(false);
        await ServiceAccount.GiveAsync(dataDir, socketDir, logDir, passwordFile).ConfigureAwait(false);
        await ServiceAccount.RunAsync(Path.Combine(binDir, "initdb"), "-D", dataDir, "-U", "postgres", "--auth=scram-sha-256", $"--pwfile={passwordFile}").ConfigureAwait(false);
        File.Delete(passwordFile);

        var port = FreePorts.Next();
        var options = string.Join(' ', [
            $"-p {port}",
            "-c listen_addresses=127.0.0.1",
            $"-c unix_socket_directories={socketDir}",
            $"-c max_connections={maxConnections}",
            "-c shared_buffers=128MB",
            "-c fsync=off",
            "-c synchronous_commit=off",
            "-c full_page_writes=off",
        ]);
        await ServiceAccount.RunAsync(Path.Combine(binDir, "pg_ctl"), "-D", dataDir, "-l", Path.Combine(logDir, "postgres.log"), "-w", "-t", "60", "-o", options, "start").ConfigureAwait(false);
        var server = new PostgresServer(binDir, dataDir, port, password, maxConnections);
        try
        {
            server.Version = (await server.ScalarAsync("SHOW server_version").ConfigureAwait(false))?.ToString() ?? string.Empty;
            return server;
        }
        catch
        {
            await server.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    /// <summary>Creates a database (if absent) and returns a superuser connection string to it.</summary>
    public async Task<string> CreateDatabaseAsync(string name)
    {
        var exists = await ScalarAsync("SELECT 1 FROM pg_database WHERE datname = $1", name).ConfigureAwait(false);
        if (exists is null)
        {
            await ExecuteAsync($"CREATE DATABASE \"{name}\"").ConfigureAwait(false);
        }

        return ConnectionString(name);
    }

    /// <summary>Client connections to <paramref name="database"/> (pg_stat_activity), not counting the asking one.</summary>
    public async Task<int> CountConnectionsAsync(string database) =>
        Convert.ToInt32(await ScalarAsync("SELECT count(*) FROM pg_stat_activity WHERE datname = $1 AND backend_type = 'client backend' AND pid <> pg_backend_pid()", database).ConfigureAwait(false), System.Globalization.CultureInfo.InvariantCulture);

    /// <summary>Runs a statement on the postgres database.</summary>
    public async Task ExecuteAsync(string sql, string database = "postgres")
    {
        await using var connection = new NpgsqlConnection(ConnectionString(database) + ";Pooling=false");
        await connection.OpenAsync().ConfigureAwait(false);
        await using var command = new NpgsqlCommand(sql, connection) { CommandTimeout = 600 };
        await command.ExecuteNonQueryAsync().ConfigureAwait(false);
    }

    /// <summary>A scalar from the postgres database.</summary>
    public async Task<object?> ScalarAsync(string sql, params object[] parameters)
    {
        await using var connection = new NpgsqlConnection(ConnectionString() + ";Pooling=false");
        await connection.OpenAsync().ConfigureAwait(false);
        await using var command = new NpgsqlCommand(sql, connection);
        foreach (var value in parameters)
        {
            command.Parameters.Add(new NpgsqlParameter { Value = value });
        }

        return await command.ExecuteScalarAsync().ConfigureAwait(false);
    }

    public async ValueTask DisposeAsync()
    {
        try
        {
            await ServiceAccount.RunAsync(Path.Combine(_binDir, "pg_ctl"), "-D", _dataDir, "-m", "immediate", "stop").ConfigureAwait(false);
        }
        catch (InvalidOperationException e)
        {
            BenchConsole.Warn($"stopping PostgreSQL: {e.Message}");
        }
    }

    private static string? FindBinDir() =>
        Directory.Exists("/usr/lib/postgresql")
            ? Directory.GetDirectories("/usr/lib/postgresql")
                .Select(d => Path.Combine(d, "bin"))
                .Where(d => File.Exists(Path.Combine(d, "initdb")))
                .OrderByDescending(d => int.TryParse(Path.GetFileName(Path.GetDirectoryName(d)), out var v) ? v : 0)
                .FirstOrDefault()
            : null;
}
