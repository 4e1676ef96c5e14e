using MongoDB.Bson;
using MongoDB.Driver;

namespace Conduit.MongoTestServer.Tests;

/// <summary>A fresh <see cref="MongoWireTestServer"/> with a real driver client pointed at it.</summary>
/// <remarks>Each test owns one: servers are cheap (one listener), and no state leaks between tests.</remarks>
internal sealed class MongoTestContext : IAsyncDisposable
{
    private MongoTestContext(MongoWireTestServer server, MongoClient client)
    {
        Server = server;
        Client = client;
        Database = client.GetDatabase("conduit_test");
    }

    public MongoWireTestServer Server { get; }

    public MongoClient Client { get; }

    public IMongoDatabase Database { get; }

    public static async Task<MongoTestContext> StartAsync(Action<MongoClientSettings>? configure = null)
    {
        var server = await MongoWireTestServer.StartAsync();
        var settings = MongoClientSettings.FromConnectionString(server.ConnectionString);
        settings.ServerSelectionTimeout = TimeSpan.FromSeconds(5);
        settings.ConnectTimeout = TimeSpan.FromSeconds(5);
        configure?.Invoke(settings);
        return new MongoTestContext(server, new MongoClient(settings));
    }

    public IMongoCollection<BsonDocument> Collection(string name) => Database.GetCollection<BsonDocument>(name);

    public async ValueTask DisposeAsync()
    {
        Client.Dispose();
        await Server.DisposeAsync();
    }
}
