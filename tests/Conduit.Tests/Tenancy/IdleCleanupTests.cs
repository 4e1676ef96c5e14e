using Conduit.Postgres;
using Conduit.Projects;
using Conduit.Tests.Infrastructure;

namespace Conduit.Tests.Tenancy;

public sealed class IdleCleanupTests : IAsyncLifetime
{
    private ConduitSilo _silo = null!;

    public async Task InitializeAsync() => _silo = await ConduitSilo.StartAsync(new Dictionary<string, string?>
    {
        ["Conduit:IdleCleanup:IdleTimeout"] = "00:00:02",
        ["Conduit:IdleCleanup:CheckInterval"] = "00:00:00.250",
        ["Conduit:IdleCleanup:ReminderPeriod"] = "00:00:05",
    });

    public async Task DisposeAsync() => await _silo.DisposeAsync();

    [Fact]
    public async Task IdleProject_AfterIdleTimeout_ServerConnectionsClosedAndGrainDeactivated()
    {
        var projectRef = SiloApi.NewRef("i");
        var database = await _silo.CreateProjectWithPostgresAsync(projectRef, "FREE");
        var grain = _silo.Grains.GetGrain<IProjectConnectionGrain>(projectRef);
        await grain.PostgresQueryAsync(new PgCommand("select 1"));
        Assert.True(await TestServers.CountConnectionsAsync(database) >= 1);

        await Eventually.TrueAsync(async () => await TestServers.CountConnectionsAsync(database) == 0, TimeSpan.FromSeconds(20), "idle pool should close");

        // The server may see the connections go a moment before the grain has finished its cleanup and deactivated.
        await Eventually.TrueAsync(
            () => Task.FromResult(_silo.Logs.Lines.Any(l => l.Contains($"Project {projectRef}: idle for", StringComparison.Ordinal))),
            TimeSpan.FromSeconds(10),
            "the idle cleanup log line");
        await Eventually.TrueAsync(
            async () => await grain.GetStatsAsync() is { LastActivity: null } stats && !stats.Databases.Single().PoolOpen,
            TimeSpan.FromSeconds(10),
            "a fresh activation with the pool closed");
    }

    [Fact]
    public async Task ActiveProject_WhileCallsContinue_PoolStaysOpen()
    {
        var projectRef = SiloApi.NewRef("i");
        await _silo.CreateProjectWithPostgresAsync(projectRef, "FREE");
        var grain = _silo.Grains.GetGrain<IProjectConnectionGrain>(projectRef);

        for (var i = 0; i < 8; i++)
        {
            await grain.PostgresQueryAsync(new PgCommand("select 1"));
            await Task.Delay(500);
        }

        Assert.True((await grain.GetStatsAsync()).Databases.Single().PoolOpen);
    }
}
