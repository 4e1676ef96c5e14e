using System.Net;
using Conduit.Errors;
using Conduit.Postgres;
using Conduit.Projects;
using Conduit.Tests.Infrastructure;
using Npgsql;

namespace Conduit.Tests.Resilience;

public sealed class BreakerTests(BreakerSiloFixture fixture) : IClassFixture<BreakerSiloFixture>
{
    private ConduitSilo Silo => fixture.Silo;

    [Fact]
    public async Task Breaker_DatabaseUnreachableThenBack_OpensThenClosesOnFreshConnections()
    {
        var connectionString = await TestServers.CreateDatabaseAsync();
        await using var forwarder = TcpForwarder.ToPostgres(connectionString);
        forwarder.Start();
        var viaForwarder = new NpgsqlConnectionStringBuilder(connectionString) { Port = forwarder.Port }.ConnectionString;
        var projectRef = SiloApi.NewRef("b");
        await Silo.CreateProjectAsync(projectRef, "STARTER");
        await Silo.AddDatabaseAsync(projectRef, "postgresql", viaForwarder);
        var grain = Silo.Grains.GetGrain<IProjectConnectionGrain>(projectRef);
        await grain.PostgresQueryAsync(new PgCommand("select 1"));

        forwarder.Stop();
        var codes = new List<string>();
        for (var i = 0; i < 6; i++)
        {
            var error = await Assert.ThrowsAsync<ConduitException>(() => grain.PostgresQueryAsync(new PgCommand("select 1")));
            codes.Add(error.Code);
        }

        Assert.Equal(ErrorCodes.BackendUnavailable, codes[0]);
        Assert.Equal(ErrorCodes.CircuitOpen, codes[^1]);
        var open = await Assert.ThrowsAsync<ConduitException>(() => grain.PostgresQueryAsync(new PgCommand("select 1")));
        Assert.NotNull(open.RetryAfter);
        Assert.InRange(open.RetryAfter!.Value, TimeSpan.Zero, TimeSpan.FromSeconds(1));
        Assert.Equal(BreakerState.Open, (await grain.GetStatsAsync()).Databases.Single().Breaker);

        forwarder.Start();
        await Eventually.TrueAsync(async () =>
        {
            try
            {
                await grain.PostgresQueryAsync(new PgCommand("select 1"));
                return true;
            }
            catch (ConduitException e) when (e.Code == ErrorCodes.CircuitOpen)
            {
                return false;
            }
        }, TimeSpan.FromSeconds(15));

        Assert.Equal(BreakerState.Closed, (await grain.GetStatsAsync()).Databases.Single().Breaker);
        Assert.Contains(Silo.Logs.Lines, l => l.Contains("circuit breaker is now Open", StringComparison.Ordinal) && l.Contains(projectRef, StringComparison.Ordinal));
        Assert.Contains(Silo.Logs.Lines, l => l.Contains("circuit breaker is now Closed", StringComparison.Ordinal) && l.Contains(projectRef, StringComparison.Ordinal));
    }

    [Fact]
    public async Task Breaker_OpenOverRest_Returns503WithRetryAfterSeconds()
    {
        var projectRef = SiloApi.NewRef("b");
        await Silo.CreateProjectAsync(projectRef, "STARTER");
        await Silo.AddDatabaseAsync(projectRef, "postgresql", "Host=127.0.0.1;Port=1;Username=u;Password=p;Database=d");

        HttpResponseMessage response;
        var attempts = 0;
        do
        {
            response = await Silo.Admin.QueryAsync(projectRef, "select 1");
            attempts++;
        }
        while (response.StatusCode != HttpStatusCode.ServiceUnavailable || (await response.JsonAsync()).GetProperty("code").GetString() != "CIRCUIT_OPEN" && attempts < 10);

        var problem = await response.AssertProblemAsync(HttpStatusCode.ServiceUnavailable, "CIRCUIT_OPEN");
        Assert.InRange(problem.GetProperty("retryAfterSeconds").GetInt32(), 0, 1);
        Assert.NotNull(response.Headers.RetryAfter);
    }

    [Fact]
    public async Task Query_PastTierTimeout_QueryTimeoutAndServerStopsTheStatement()
    {
        var projectRef = SiloApi.NewRef("t");
        var database = await Silo.CreateProjectWithPostgresAsync(projectRef, "FREE");

        var response = await Silo.Admin.QueryAsync(projectRef, "select pg_sleep(30)");

        await response.AssertProblemAsync(HttpStatusCode.GatewayTimeout, "QUERY_TIMEOUT");
        await Eventually.TrueAsync(async () => await CountSleepingAsync(database) == 0, TimeSpan.FromSeconds(5), "the server should have cancelled pg_sleep");
    }

    private static async Task<long> CountSleepingAsync(string database)
    {
        await using var connection = new NpgsqlConnection(TestServers.PostgresAdmin);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand("select count(*) from pg_stat_activity where datname = $1 and state = 'active' and query like '%pg_sleep(30)%' and pid <> pg_backend_pid()", connection);
        command.Parameters.Add(new NpgsqlParameter { Value = database });
        return (long)(await command.ExecuteScalarAsync())!;
    }
}
