using Conduit.MongoTestServer;
using MongoDB.Driver;

namespace Conduit.Tests.Mongo;

/// <summary>
/// The MongoDB the integration tests use: a real server when <c>MONGODB_URL</c> is set, otherwise the
/// in-process wire-protocol test double (tests/Conduit.MongoTestServer). Each test gets its own database
/// name; the databases a run created are dropped when it ends.
/// </summary>
public sealed class MongoTarget : IAsyncDisposable
{
    public const string Variable = "MONGODB_URL";

    private readonly MongoUrl _url;
    private readonly List<string> _databases = [];

    private MongoTarget(MongoUrl url, MongoWireTestServer? server, string description)
    {
        _url = url;
        Server = server;
        Description = description;
    }

    /// <summary>The test server, or null when the run uses a real MongoDB.</summary>
    public MongoWireTestServer? Server { get; }

    /// <summary>Which MongoDB the run used, without credentials.</summary>
    public string Description { get; }

    public bool IsRealServer => Server is null;

    public static async Task<MongoTarget> StartAsync()
    {
        if (Environment.GetEnvironmentVariable(Variable) is { Length: > 0 } text)
        {
            var url = MongoUrl.Create(text);
            var hosts = string.Join(",", url.Servers.Select(s => $"{s.Host}:{s.Port}"));
            return new MongoTarget(url, null, $"a real MongoDB from {Variable} ({hosts})");
        }

        var server = await MongoWireTestServer.StartAsync();
        return new MongoTarget(MongoUrl.Create(server.ConnectionString), server, $"the MongoDB wire-protocol test server (127.0.0.1:{server.Port}; set {Variable} to use a real MongoDB)");
    }

    /// <summary>A fresh database name, dropped when the run ends.</summary>
    public string NewDatabase()
    {
        var name = $"t_{Guid.NewGuid():N}";
        lock (_databases)
        {
            _databases.Add(name);
        }

        return name;
    }

    /// <summary>The target's URL with <paramref name="database"/> as its path (so the project may use only that database).</summary>
    public string ConnectionStringFor(string? database)
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

    /// <summary>The password in <c>MONGODB_URL</c>, if any, for asserting it never leaks.</summary>
    public string? Password => _url.Password;

    public async ValueTask DisposeAsync()
    {
        if (Server is not null)
        {
            await Server.DisposeAsync();
            return;
        }

        using var client = new MongoClient(_url);
        foreach (var database in _databases)
        {
            await client.DropDatabaseAsync(database);
        }
    }
}
