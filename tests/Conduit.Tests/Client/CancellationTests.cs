using System.Net.Http.Json;
using Conduit.Client;
using Conduit.Postgres;
using Conduit.Projects;
using Conduit.Redis;
using Conduit.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Npgsql;

namespace Conduit.Tests.Client;

/// <summary>
/// A caller that gives up stops the work it asked for: through the client library with a
/// <see cref="CancellationToken"/>, over REST by going away. The statement is cancelled on the real
/// PostgreSQL, a queued call never runs, and neither counts against the circuit breaker.
/// </summary>
public sealed class CancellationTests : IAsyncLifetime
{
    // Long enough that only a cancellation can end it within the test's bounds (STARTER's timeout is 30 s).
    private const string SlowStatement = "select pg_sleep(25)";

    private ConduitSilo _silo = null!;

    public async Task InitializeAsync() => _silo = await ConduitSilo.StartAsync(new Dictionary<string, string?>
    {
        // One call at a time on FREE, so a second call has to queue.
        ["Conduit:Tiers:Free:MaxConcurrent"] = "1",
    });

    public async Task DisposeAsync() => await _silo.DisposeAsync();

    [Fact]
    public async Task ClientQuery_CancelledWhileRunning_ReturnsAtOnceAndTheServerStopsTheStatement()
    {
        var (projectRef, database, host, postgres) = await PostgresProjectAsync("STARTER");
        using var _ = host;

        using var cancel = new CancellationTokenSource();
        var call = postgres.QueryAsync(new PgCommand(SlowStatement), cancel.Token);
        await Eventually.TrueAsync(async () => await RunningAsync(database, SlowStatement) == 1, TimeSpan.FromSeconds(15), "the statement should be running");

        await cancel.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => call.WaitAsync(TimeSpan.FromSeconds(10)));
        await Eventually.TrueAsync(async () => await RunningAsync(database, SlowStatement) == 0, TimeSpan.FromSeconds(10), "PostgreSQL should have cancelled the statement");

        await AssertUnharmedAsync(projectRef);
        Assert.Single((await postgres.QueryAsync("select 1")).Rows);
    }

    [Fact]
    public async Task ClientCall_CancelledWhileQueued_NeverRuns()
    {
        var (projectRef, database, host, postgres) = await PostgresProjectAsync("FREE");
        using var _ = host;
        await postgres.ExecuteAsync("create table marks (n int)");

        // FREE runs one call at a time here: the insert has to wait behind the sleep.
        const string holder = "select pg_sleep(3)";
        var holding = postgres.QueryAsync(holder);
        await Eventually.TrueAsync(async () => await RunningAsync(database, holder) == 1, TimeSpan.FromSeconds(15), "the first call should hold the only permit");
        using var cancel = new CancellationTokenSource();
        var queued = postgres.QueryAsync(new PgCommand("insert into marks values (1)"), cancel.Token);
        await Task.Delay(200);
        Assert.False(queued.IsCompleted, "the insert should be waiting for the permit");

        await cancel.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => queued.WaitAsync(TimeSpan.FromSeconds(10)));
        await holding;

        Assert.Equal(0L, await postgres.ScalarAsync("select count(*) from marks"));
        await AssertUnharmedAsync(projectRef);
    }

    [Fact]
    public async Task RestCaller_ThatGoesAway_HasItsStatementCancelledOnTheServer()
    {
        var projectRef = SiloApi.NewRef("cancel");
        var database = await _silo.CreateProjectWithPostgresAsync(projectRef, "STARTER");

        using var cancel = new CancellationTokenSource();
        var request = _silo.Admin.PostAsJsonAsync($"/api/platform/projects/{projectRef}/postgresql/query", new { sql = SlowStatement }, cancel.Token);
        await Eventually.TrueAsync(async () => await RunningAsync(database, SlowStatement) == 1, TimeSpan.FromSeconds(15), "the statement should be running");

        await cancel.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => request);
        await Eventually.TrueAsync(async () => await RunningAsync(database, SlowStatement) == 0, TimeSpan.FromSeconds(10), "the silo should cancel the statement when its caller goes away");
        await AssertUnharmedAsync(projectRef);
    }

    [Fact]
    public async Task ClientRedisCommands_CancelledBeforeTheyAreSent_NeverRun()
    {
        var projectRef = SiloApi.NewRef("cancel");
        await _silo.CreateProjectAsync(projectRef, "PRO");
        await _silo.AddDatabaseAsync(projectRef, "redis", TestServers.Redis);
        using var host = await _silo.ConnectClientAsync(o => o.RedisMaxInFlightCalls = 1);
        var redis = host.Services.GetRequiredService<IConduit>().Project(projectRef).Redis;
        var counter = $"{projectRef}:n";

        // With one call in flight most of these wait in the client's queue; cancelled ones must not be sent
        // with the next batch, and the others must each still count once.
        using var cancelled = new CancellationTokenSource();
        await cancelled.CancelAsync();
        var calls = Enumerable.Range(0, 100)
            .Select(i => redis.ExecuteAsync(new RedisCommand("INCR", [counter]), i % 2 == 0 ? cancelled.Token : CancellationToken.None))
            .ToList();
        foreach (var (call, i) in calls.Select((c, i) => (c, i)))
        {
            if (i % 2 == 0)
            {
                await Assert.ThrowsAnyAsync<OperationCanceledException>(() => call);
            }
            else
            {
                await call;
            }
        }

        Assert.Equal("50", await redis.GetAsync(counter));
    }

    /// <summary>A new project of <paramref name="tier"/> with a PostgreSQL database of its own, and a client connected to the silo.</summary>
    private async Task<(string Ref, string Database, IHost Host, PostgresClient Postgres)> PostgresProjectAsync(string tier)
    {
        var projectRef = SiloApi.NewRef("cancel");
        var database = await _silo.CreateProjectWithPostgresAsync(projectRef, tier);
        var host = await _silo.ConnectClientAsync();
        return (projectRef, database, host, host.Services.GetRequiredService<IConduit>().Project(projectRef).Postgres);
    }

    /// <summary>A cancelled call is not a failure: no error counted, the breaker closed.</summary>
    private async Task AssertUnharmedAsync(string projectRef)
    {
        var stats = await _silo.Grains.GetGrain<IProjectConnectionGrain>(projectRef).GetStatsAsync();
        var database = stats.Databases.Single();
        Assert.Equal(0, database.Errors);
        Assert.Equal(BreakerState.Closed, database.Breaker);
    }

    /// <summary>Statements containing <paramref name="text"/> running now in <paramref name="database"/>.</summary>
    private static async Task<int> RunningAsync(string database, string text)
    {
        await using var connection = new NpgsqlConnection(TestServers.PostgresAdmin);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(
            "SELECT count(*) FROM pg_stat_activity WHERE datname = $1 AND state = 'active' AND query = $2 AND pid <> pg_backend_pid()",
            connection);
        command.Parameters.Add(new NpgsqlParameter { Value = database });
        command.Parameters.Add(new NpgsqlParameter { Value = text });
        return Convert.ToInt32(await command.ExecuteScalarAsync(), System.Globalization.CultureInfo.InvariantCulture);
    }
}
