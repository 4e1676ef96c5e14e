using System.Security.Cryptography;
using Conduit.MongoTestServer;
using MongoDB.Bson;
using MongoDB.Driver;

namespace Conduit.Bench.Infrastructure;

/// <summary>
/// The MongoDB the run uses: a real server when <c>MONGODB_URL</c> is set, otherwise the MongoDB
/// wire-protocol test server (tests/Conduit.MongoTestServer) listening on loopback inside this process.
/// </summary>
/// <remarks>
/// On a real server the run works in a database of its own (<c>conduit_bench_…</c>) and drops it when
/// disposed; the test server's data goes with it.
/// </remarks>
internal sealed class MongoServer : IAsyncDisposable
{
    /// <summary>The environment variable naming a real MongoDB.</summary>
    public const string Variable = "MONGODB_URL";

    private readonly MongoUrl _url;
    private readonly MongoWireTestServer? _testServer;

    private MongoServer(MongoUrl url, MongoWireTestServer? testServer, string description)
    {
        _url = url;
        _testServer = testServer;
        Description = description;
        Database = testServer is null ? "conduit_bench_" + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(4)) : "bench";
        Client = new MongoClient(ConnectionString(Database));
    }

    /// <summary>Which MongoDB this is and its version, without credentials.</summary>
    public string Description { get; private set; }

    /// <summary>True for the in-process wire-protocol test server.</summary>
    public bool IsTestServer => _testServer is not null;

    /// <summary>The database the run's collections live in.</summary>
    public string Database { get; }

    /// <summary>A driver client for seeding and for the direct path (driver defaults: a pool of up to 100 connections).</summary>
    public MongoClient Client { get; }

    /// <summary>Uses <c>MONGODB_URL</c> when set, else starts the test server.</summary>
    public static async Task<MongoServer> StartAsync()
    {
        MongoServer server;
        if (Environment.GetEnvironmentVariable(Variable) is { Length: > 0 } text)
        {
            MongoUrl url;
            try
            {
                url = MongoUrl.Create(text);
            }
            catch (Exception e) when (e is MongoConfigurationException or ArgumentException or FormatException)
            {
                // The message would repeat the URL, and with it the password.
                throw new InvalidOperationException($"{Variable} is not a mongodb:// or mongodb+srv:// URL the driver accepts; fix or unset it.");
            }

            var hosts = string.Join(",", url.Servers.Select(s => $"{s.Host}:{s.Port}"));
            server = new MongoServer(url, null, $"a real MongoDB from {Variable} ({hosts})");
        }
        else
        {
            var testServer = await MongoWireTestServer.StartAsync().ConfigureAwait(false);
            server = new MongoServer(
                MongoUrl.Create(testServer.ConnectionString),
                testServer,
                $"the MongoDB wire-protocol test server (tests/Conduit.MongoTestServer) on 127.0.0.1:{testServer.Port} inside the benchmark process: in memory, one lock for every command, finds scan the collection; set {Variable} for a real MongoDB");
        }

        try
        {
            var build = await server.Client.GetDatabase("admin").RunCommandAsync<BsonDocument>(new BsonDocument("buildInfo", 1)).ConfigureAwait(false);
            server.Description = $"{build.GetValue("version", "unknown version")}, {server.Description}";
            return server;
        }
        catch
        {
            await server.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    /// <summary>The server's URL with <paramref name="database"/> as its path, so a project registered with it may use only that database.</summary>
    public string ConnectionString(string database)
    {
        var builder = new MongoUrlBuilder(_url.ToString());
        if (builder.Username is not null && builder.AuthenticationSource is null)
        {
            // The path also names the database to authenticate against; keep authenticating where the URL did.
            builder.AuthenticationSource = _url.DatabaseName ?? "admin";
        }

        builder.DatabaseName = database;
        return builder.ToString();
    }

    public async ValueTask DisposeAsync()
    {
        try
        {
            if (_testServer is null)
            {
                await Client.DropDatabaseAsync(Database).ConfigureAwait(false);
            }
        }
        finally
        {
            Client.Dispose();
            if (_testServer is not null)
            {
                await _testServer.DisposeAsync().ConfigureAwait(false);
            }
        }
    }
}
