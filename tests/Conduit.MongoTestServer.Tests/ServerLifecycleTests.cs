using System.Net;
using System.Net.Sockets;
using MongoDB.Bson;
using MongoDB.Driver;

namespace Conduit.MongoTestServer.Tests;

public sealed class ServerLifecycleTests
{
    [Fact]
    public async Task StartAsync_Default_ListensOnLoopbackEphemeralPort()
    {
        await using var server = await MongoWireTestServer.StartAsync();

        Assert.InRange(server.Port, 1, 65535);
        Assert.Equal($"mongodb://127.0.0.1:{server.Port}/?directConnection=true", server.ConnectionString);
        Assert.Equal(MongoFault.None, server.Fault);
        Assert.Equal((0, 0L), (server.OpenConnections, server.TotalConnectionsAccepted));
    }

    [Fact]
    public async Task ConnectionCounters_DriverOperation_CountsItsConnections()
    {
        await using var context = await MongoTestContext.StartAsync();

        await context.Collection("c").InsertOneAsync(new BsonDocument());

        // At least the pooled connection; the driver's monitor holds another.
        Assert.InRange(context.Server.OpenConnections, 1, 3);
        Assert.Equal(context.Server.OpenConnections, context.Server.TotalConnectionsAccepted);
    }

    [Fact]
    public async Task ConnectionCounters_PeerConnectsAndCloses_OpenGoesUpAndBackDown()
    {
        await using var server = await MongoWireTestServer.StartAsync();
        using (var peer = new TcpClient())
        {
            await peer.ConnectAsync(IPAddress.Loopback, server.Port);
            await WaitUntilAsync(() => server.OpenConnections == 1);

            Assert.Equal((1, 1L), (server.OpenConnections, server.TotalConnectionsAccepted));
        }

        await WaitUntilAsync(() => server.OpenConnections == 0);
        Assert.Equal((0, 1L), (server.OpenConnections, server.TotalConnectionsAccepted));
    }

    [Fact]
    public async Task Reset_WithData_DropsEveryDatabase()
    {
        await using var context = await MongoTestContext.StartAsync();
        await context.Collection("docs").InsertOneAsync(new BsonDocument("_id", 1));

        context.Server.Reset();

        Assert.Empty(await (await context.Client.ListDatabaseNamesAsync()).ToListAsync());
        await context.Collection("docs").InsertOneAsync(new BsonDocument("_id", 1));
    }

    [Fact]
    public async Task DisposeAsync_WithOpenConnections_ClosesThemAndStopsListening()
    {
        var server = await MongoWireTestServer.StartAsync();
        using var client = new MongoClient(server.ConnectionString);
        await client.GetDatabase("db").RunCommandAsync<BsonDocument>(new BsonDocument("ping", 1));

        await server.DisposeAsync();
        await server.DisposeAsync();

        Assert.Equal(0, server.OpenConnections);
        using var probe = new TcpClient();
        await Assert.ThrowsAnyAsync<SocketException>(() => probe.ConnectAsync("127.0.0.1", server.Port));
    }

    private static async Task WaitUntilAsync(Func<bool> condition)
    {
        for (var i = 0; i < 100 && !condition(); i++)
        {
            await Task.Delay(20);
        }
    }
}
