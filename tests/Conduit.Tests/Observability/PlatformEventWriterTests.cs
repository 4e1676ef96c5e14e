using Conduit.Diagnostics;
using Conduit.Model;
using Conduit.Tests.Infrastructure;
using Conduit.Tests.Migrations;
using Microsoft.Extensions.Logging.Abstractions;
using Npgsql;

namespace Conduit.Tests.Observability;

/// <summary>The connection-event writer against real PostgreSQL databases: migrated, unmigrated and unreachable.</summary>
public sealed class PlatformEventWriterTests
{
    [Fact]
    public async Task Flush_MigratedStore_WritesEveryEvent()
    {
        await using var database = await PlatformDatabase.CreateAsync();
        using var writer = new PlatformEventWriter(database.DataSource, NullLogger<PlatformEventWriter>.Instance);
        writer.PoolOpened("evt-proj", DatabaseType.PostgreSql, "main", Tier.Pro);
        writer.PoolClosed("evt-proj", DatabaseType.PostgreSql, "main", "idle");

        await writer.FlushAsync([], CancellationToken.None);

        Assert.Equal(2, writer.Written);
        Assert.Equal(0, writer.Dropped);
        Assert.Equal(2, await database.ScalarAsync<long>("select count(*) from platform.database_connection_logs where project_ref = 'evt-proj'"));
    }

    [Fact]
    public async Task Flush_StoreRefusesTheBatch_DropsAndCountsItAndLaterEventsStillGoThrough()
    {
        await using var unmigrated = await PlatformDatabase.CreateAsync(migrate: false);
        using var writer = new PlatformEventWriter(unmigrated.DataSource, NullLogger<PlatformEventWriter>.Instance);
        writer.PoolOpened("evt-proj", DatabaseType.Redis, "cache", Tier.Free);
        var batch = new List<PlatformEventWriter.PlatformEvent>();

        await writer.FlushAsync(batch, CancellationToken.None);

        Assert.Empty(batch);
        Assert.Equal(1, writer.Dropped);
        Assert.Equal(0, writer.Written);
    }

    [Fact]
    public async Task Flush_StoreUnreachable_KeepsTheBatchForTheNextFlush()
    {
        int port;
        using (var listener = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0))
        {
            listener.Start();
            port = ((System.Net.IPEndPoint)listener.LocalEndpoint).Port;
        }

        await using var unreachable = NpgsqlDataSource.Create(new NpgsqlConnectionStringBuilder(TestServers.PostgresAdmin) { Port = port, Timeout = 2 }.ConnectionString);
        using var writer = new PlatformEventWriter(unreachable, NullLogger<PlatformEventWriter>.Instance);
        writer.PoolOpened("evt-proj", DatabaseType.MongoDb, "docs", Tier.Starter);
        var batch = new List<PlatformEventWriter.PlatformEvent>();

        await writer.FlushAsync(batch, CancellationToken.None);

        Assert.Single(batch);
        Assert.Equal(0, writer.Dropped);
    }
}
