using System.Diagnostics;
using System.Net.Sockets;
using MongoDB.Bson;
using MongoDB.Driver;

namespace Conduit.MongoTestServer.Tests;

/// <remarks>
/// The default 10 s heartbeat keeps the driver's monitor quiet during each fault window, so the
/// operation under test — not a heartbeat — is what meets the fault; retries are off for the same reason.
/// </remarks>
public sealed class FaultTests
{
    // Generous, because they bound only the recovery; each failure below is immediate or has its own short timeout.
    private static readonly TimeSpan _selectionTimeout = TimeSpan.FromSeconds(5);
    private static readonly TimeSpan _connectTimeout = TimeSpan.FromSeconds(5);

    [Fact]
    public async Task Fault_Refuse_PooledOperationFailsWithConnectionExceptionThenRecovers()
    {
        await using var context = await StartSeededAsync();
        var docs = context.Collection("docs");

        context.Server.Fault = MongoFault.Refuse;
        var stopwatch = Stopwatch.StartNew();
        await Assert.ThrowsAsync<MongoConnectionException>(() => CountAsync(docs));

        // The pooled connection was closed under the driver, so it fails at once rather than after a timeout.
        Assert.True(stopwatch.Elapsed < TimeSpan.FromSeconds(2), $"failure took {stopwatch.Elapsed}");
        context.Server.Fault = MongoFault.None;
        Assert.Equal(1, await CountAsync(docs));
    }

    [Fact]
    public async Task Fault_Refuse_NewClientTimesOutSelectingServer()
    {
        await using var server = await MongoWireTestServer.StartAsync();
        server.Fault = MongoFault.Refuse;
        var settings = Settings(server);
        settings.ServerSelectionTimeout = TimeSpan.FromMilliseconds(500);
        using var client = new MongoClient(settings);

        var stopwatch = Stopwatch.StartNew();
        await Assert.ThrowsAsync<TimeoutException>(() => client.GetDatabase("db").RunCommandAsync<BsonDocument>(new BsonDocument("ping", 1)));

        Assert.True(stopwatch.Elapsed < TimeSpan.FromSeconds(5), $"failure took {stopwatch.Elapsed}");
        Assert.True(server.TotalConnectionsAccepted >= 1);
        Assert.Equal(0, server.OpenConnections);
    }

    [Fact]
    public async Task Fault_Reset_OperationFailsWithConnectionResetThenRecovers()
    {
        await using var context = await StartSeededAsync();
        var docs = context.Collection("docs");

        context.Server.Fault = MongoFault.Reset;
        var ex = await Assert.ThrowsAsync<MongoConnectionException>(() => CountAsync(docs));

        Assert.Equal(SocketError.ConnectionReset, FindSocketError(ex));
        context.Server.Fault = MongoFault.None;
        Assert.Equal(1, await CountAsync(docs));
    }

    [Fact]
    public async Task Fault_StallWithSocketTimeout_OperationTimesOutThenRecovers()
    {
        // The socket timeout also bounds the handshake and the recovery, so it must survive a loaded CI machine.
        var socketTimeout = TimeSpan.FromSeconds(1);
        await using var context = await StartSeededAsync(s => s.SocketTimeout = socketTimeout);
        var docs = context.Collection("docs");

        context.Server.Fault = MongoFault.Stall;
        var stopwatch = Stopwatch.StartNew();
        await Assert.ThrowsAsync<MongoConnectionException>(() => CountAsync(docs));

        Assert.InRange(stopwatch.Elapsed, socketTimeout * 0.9, TimeSpan.FromSeconds(5));
        context.Server.Fault = MongoFault.None;
        Assert.Equal(1, await CountAsync(docs));
    }

    [Fact]
    public async Task Fault_StallWithCancellation_OperationIsCanceledThenRecovers()
    {
        await using var context = await StartSeededAsync();
        var docs = context.Collection("docs");

        context.Server.Fault = MongoFault.Stall;
        using var cancellation = new CancellationTokenSource(TimeSpan.FromMilliseconds(300));
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => CountAsync(docs, cancellation.Token));

        context.Server.Fault = MongoFault.None;
        Assert.Equal(1, await CountAsync(docs));
    }

    [Fact]
    public async Task Fault_Stall_ReadsRequestsWithoutClosingConnections()
    {
        await using var context = await StartSeededAsync();
        var docs = context.Collection("docs");
        var open = context.Server.OpenConnections;

        context.Server.Fault = MongoFault.Stall;
        using var cancellation = new CancellationTokenSource(TimeSpan.FromMilliseconds(200));
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => CountAsync(docs, cancellation.Token));

        // The driver drops the canceled connection itself; the monitor's connection stays open on the server.
        Assert.InRange(context.Server.OpenConnections, 1, open);
    }

    private static SocketError? FindSocketError(Exception exception)
    {
        for (var current = exception; current is not null; current = current.InnerException)
        {
            if (current is SocketException socketException)
            {
                return socketException.SocketErrorCode;
            }
        }

        return null;
    }

    private static Task<long> CountAsync(IMongoCollection<BsonDocument> collection, CancellationToken cancellationToken = default) =>
        collection.CountDocumentsAsync(FilterDefinition<BsonDocument>.Empty, cancellationToken: cancellationToken);

    private static MongoClientSettings Settings(MongoWireTestServer server)
    {
        var settings = MongoClientSettings.FromConnectionString(server.ConnectionString);
        settings.ServerSelectionTimeout = _selectionTimeout;
        settings.ConnectTimeout = _connectTimeout;
        settings.RetryReads = false;
        settings.RetryWrites = false;
        return settings;
    }

    private static async Task<MongoTestContext> StartSeededAsync(Action<MongoClientSettings>? configure = null)
    {
        var context = await MongoTestContext.StartAsync(settings =>
        {
            settings.ServerSelectionTimeout = _selectionTimeout;
            settings.ConnectTimeout = _connectTimeout;
            settings.RetryReads = false;
            settings.RetryWrites = false;
            configure?.Invoke(settings);
        });
        await context.Collection("docs").InsertOneAsync(new BsonDocument("_id", 1));
        return context;
    }
}
