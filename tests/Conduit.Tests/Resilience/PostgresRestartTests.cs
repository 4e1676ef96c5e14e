using Conduit.Errors;
using Conduit.Postgres;
using Conduit.Projects;
using Conduit.Tests.Infrastructure;
using Npgsql;

namespace Conduit.Tests.Resilience;

/// <summary>A real PostgreSQL restart (pg_ctl) under load, on a private server so other tests are not disturbed.</summary>
public sealed class PostgresRestartTests(FaultSiloFixture fixture) : IClassFixture<FaultSiloFixture>
{
    [Fact]
    public async Task PostgresRestartedUnderLoad_RecoversWithoutLeakingServerConnections()
    {
        await using var server = await PrivatePostgres.StartAsync();
        var projectRef = SiloApi.NewRef("rs");
        await fixture.Silo.CreateProjectAsync(projectRef, "FREE");
        await fixture.Silo.AddDatabaseAsync(projectRef, "postgresql", server.ConnectionString);
        var grain = fixture.Silo.Grains.GetGrain<IProjectConnectionGrain>(projectRef);
        await grain.PostgresQueryAsync(new PgCommand("select 1"));

        using var stop = new CancellationTokenSource();
        var failures = 0;
        var load = Enumerable.Range(0, 4).Select(_ => Task.Run(async () =>
        {
            while (!stop.IsCancellationRequested)
            {
                try
                {
                    await grain.PostgresQueryAsync(new PgCommand("select pg_sleep(0.05)"));
                }
                catch (ConduitException e) when (e.Code is ErrorCodes.BackendUnavailable or ErrorCodes.CircuitOpen or ErrorCodes.QueryTimeout)
                {
                    Interlocked.Increment(ref failures);
                    await Task.Delay(50);
                }
            }
        })).ToList();

        await Task.Delay(500);
        await server.RestartAsync();
        await Eventually.TrueAsync(async () =>
        {
            try
            {
                await grain.PostgresQueryAsync(new PgCommand("select 1"));
                return true;
            }
            catch (ConduitException)
            {
                return false;
            }
        }, TimeSpan.FromSeconds(30), "the tenant should recover after the restart");
        await Task.Delay(500);
        await stop.CancelAsync();
        await Task.WhenAll(load);

        Assert.True(failures > 0, "the restart should have been felt");
        var open = await CountAsync(server);
        Assert.InRange(open, 1, 5);
        await grain.CloseConnectionsAsync();
        await Eventually.TrueAsync(async () => await CountAsync(server) == 0, TimeSpan.FromSeconds(10), "no server connection may outlive the pool");
    }

    private static async Task<long> CountAsync(PrivatePostgres server)
    {
        await using var connection = new NpgsqlConnection(server.ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand("select count(*) from pg_stat_activity where datname = 'postgres' and backend_type = 'client backend' and pid <> pg_backend_pid()", connection);
        return (long)(await command.ExecuteScalarAsync())!;
    }
}
