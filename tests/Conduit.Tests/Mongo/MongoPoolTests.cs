using Conduit.Projects;
using Conduit.Tests.Infrastructure;
using Xunit.Abstractions;

namespace Conduit.Tests.Mongo;

/// <summary>The tier's pool settings as the driver applies them, seen through stats counted from its pool events.</summary>
[Collection(MongoSiloFixture.Collection)]
public sealed class MongoPoolTests
{
    private readonly MongoSiloFixture _fixture;

    public MongoPoolTests(MongoSiloFixture fixture, ITestOutputHelper output)
    {
        _fixture = fixture;
        output.WriteLine($"MongoDB: {fixture.Target.Description}");
    }

    [Fact]
    public async Task Stats_AfterCalls_ShowTheTierPoolFilledToItsMinimumAndNeverPastItsMaximum()
    {
        var (p, _, db) = await _fixture.CreateProjectAsync("STARTER");
        var grain = _fixture.Silo.Grains.GetGrain<IProjectConnectionGrain>(p);
        await _fixture.Silo.Admin.MongoAsync(p, db, "c", "insertOne", """{"document": {"a": 1}}""").OkAsync();

        // The driver opens the tier's minimum (STARTER: 5) in the background; stats count its pool events.
        await Eventually.TrueAsync(async () => Total(await PoolAsync(grain)) == 5, TimeSpan.FromSeconds(20), "the driver should keep STARTER's minimum of 5 connections");
        await Task.WhenAll(Enumerable.Range(0, 40).Select(_ => _fixture.Silo.Admin.MongoAsync(p, db, "c", "find").OkAsync()));
        var pool = await PoolAsync(grain);
        var stats = (await grain.GetStatsAsync()).Databases.Single();

        Assert.Equal((5, 10), (pool.MinSize, pool.MaxSize));
        Assert.InRange(Total(pool), 5, 10);
        Assert.Equal(0, pool.Active);
        Assert.True(stats.PoolOpen);
        Assert.Equal(41, stats.Operations);
    }

    [Fact]
    public async Task Stats_AfterTierChange_TheNextPoolUsesTheNewTiersSizes()
    {
        var (p, _, db) = await _fixture.CreateProjectAsync("STARTER");
        var grain = _fixture.Silo.Grains.GetGrain<IProjectConnectionGrain>(p);
        await _fixture.Silo.Admin.MongoAsync(p, db, "c", "find").OkAsync();
        await Eventually.TrueAsync(async () => Total(await PoolAsync(grain)) == 5, TimeSpan.FromSeconds(20), "STARTER keeps 5 connections");

        using var response = await _fixture.Silo.Admin.PutAsync($"/api/platform/projects/{p}/tier", new StringContent("""{"tier": "PRO"}""", System.Text.Encoding.UTF8, "application/json"));
        response.EnsureSuccessStatusCode();
        await _fixture.Silo.Admin.MongoAsync(p, db, "c", "find").OkAsync();

        await Eventually.TrueAsync(async () => Total(await PoolAsync(grain)) == 10, TimeSpan.FromSeconds(20), "PRO keeps 10 connections");
        var pool = await PoolAsync(grain);
        Assert.Equal((10, 50), (pool.MinSize, pool.MaxSize));
    }

    [Fact]
    public async Task CloseConnections_MongoPool_ClosesTheDriversConnections()
    {
        await using var server = await Conduit.MongoTestServer.MongoWireTestServer.StartAsync();
        var p = SiloApi.NewRef("m");
        await _fixture.Silo.CreateProjectAsync(p, "STARTER");
        await _fixture.Silo.AddDatabaseAsync(p, "mongodb", server.ConnectionString.Replace("/?", "/app?", StringComparison.Ordinal));
        var grain = _fixture.Silo.Grains.GetGrain<IProjectConnectionGrain>(p);
        await _fixture.Silo.Admin.MongoAsync(p, "app", "c", "find").OkAsync();
        await Eventually.TrueAsync(async () => Total(await PoolAsync(grain)) == 5, TimeSpan.FromSeconds(20), "STARTER keeps 5 connections");
        var whileOpen = server.OpenConnections;

        using var response = await _fixture.Silo.Admin.DeleteAsync($"/api/platform/projects/{p}/connections");
        response.EnsureSuccessStatusCode();

        // The server sees the pool plus the driver's monitoring connection; after closing, none.
        Assert.InRange(whileOpen, 6, 7);
        await Eventually.TrueAsync(() => Task.FromResult(server.OpenConnections == 0), TimeSpan.FromSeconds(10), "closing the pool should close every connection");
        Assert.False((await grain.GetStatsAsync()).Databases.Single().PoolOpen);
    }

    private static async Task<PoolStats> PoolAsync(IProjectConnectionGrain grain) => (await grain.GetStatsAsync()).Databases.Single().Pool;

    private static int Total(PoolStats pool) => pool.Active + pool.Idle;
}
