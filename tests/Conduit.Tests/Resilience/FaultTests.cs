using System.Net;
using Conduit.Errors;
using Conduit.Postgres;
using Conduit.Projects;
using Conduit.Tests.Infrastructure;
using Npgsql;

namespace Conduit.Tests.Resilience;

/// <summary>Breaks real connections between the real drivers and the real servers.</summary>
public sealed class FaultTests(FaultSiloFixture fixture) : IClassFixture<FaultSiloFixture>
{
    private ConduitSilo Silo => fixture.Silo;

    private async Task<(IProjectConnectionGrain Grain, TcpForwarder Proxy, string Database)> TenantBehindProxyAsync(string tier = "STARTER")
    {
        var connectionString = await TestServers.CreateDatabaseAsync();
        var proxy = TcpForwarder.ToPostgres(connectionString);
        proxy.Start();
        var projectRef = SiloApi.NewRef("f");
        await Silo.CreateProjectAsync(projectRef, tier);
        await Silo.AddDatabaseAsync(projectRef, "postgresql", new NpgsqlConnectionStringBuilder(connectionString) { Port = proxy.Port }.ConnectionString);
        return (Silo.Grains.GetGrain<IProjectConnectionGrain>(projectRef), proxy, new NpgsqlConnectionStringBuilder(connectionString).Database!);
    }

    private static async Task<string> CodeOfAsync(Task call)
    {
        try
        {
            await call;
            return "OK";
        }
        catch (ConduitException e)
        {
            return e.Code;
        }
    }

    [Fact]
    public async Task DatabaseDown_BreakerOpens_LaterCallsRejectedWithoutNetwork()
    {
        var (grain, proxy, _) = await TenantBehindProxyAsync();
        await using var _ = proxy;
        await grain.PostgresQueryAsync(new PgCommand("select 1"));
        proxy.Mode = TcpForwarder.FaultMode.Reset;
        proxy.ResetOpenConnections();

        var codes = new List<string>();
        for (var i = 0; i < 4; i++)
        {
            codes.Add(await CodeOfAsync(grain.PostgresQueryAsync(new PgCommand("select 1"))));
        }

        Assert.Equal(ErrorCodes.BackendUnavailable, codes[0]);
        Assert.Equal(ErrorCodes.CircuitOpen, codes[^1]);
        var acceptedWhenOpen = proxy.Accepted;
        for (var i = 0; i < 20; i++)
        {
            Assert.Equal(ErrorCodes.CircuitOpen, await CodeOfAsync(grain.PostgresQueryAsync(new PgCommand("select 1"))));
        }

        Assert.Equal(acceptedWhenOpen, proxy.Accepted);
    }

    [Fact]
    public async Task DatabaseBack_HalfOpenProbeCloses_NextCallsUseFreshConnections()
    {
        var (grain, proxy, _) = await TenantBehindProxyAsync();
        await using var _ = proxy;
        await grain.PostgresQueryAsync(new PgCommand("select 1"));
        proxy.Mode = TcpForwarder.FaultMode.Reset;
        proxy.ResetOpenConnections();
        await Eventually.TrueAsync(async () => await CodeOfAsync(grain.PostgresQueryAsync(new PgCommand("select 1"))) == ErrorCodes.CircuitOpen, TimeSpan.FromSeconds(10));

        proxy.Mode = TcpForwarder.FaultMode.Forward;
        var acceptedBefore = proxy.Accepted;
        await Eventually.TrueAsync(async () => await CodeOfAsync(grain.PostgresQueryAsync(new PgCommand("select 1"))) == "OK", TimeSpan.FromSeconds(10));
        for (var i = 0; i < 10; i++)
        {
            await grain.PostgresQueryAsync(new PgCommand("select 1"));
        }

        Assert.Equal(BreakerState.Closed, (await grain.GetStatsAsync()).Databases.Single().Breaker);
        Assert.True(proxy.Accepted > acceptedBefore, "recovery must open new connections, not reuse dead ones");
    }

    [Fact]
    public async Task SlowDatabase_QueryTimeoutsCountTowardTheBreaker()
    {
        var (grain, proxy, _) = await TenantBehindProxyAsync("STARTER");
        await using var _ = proxy;

        var first = await CodeOfAsync(grain.PostgresQueryAsync(new PgCommand("select pg_sleep(5)")));
        var second = await CodeOfAsync(grain.PostgresQueryAsync(new PgCommand("select pg_sleep(5)")));
        var third = await CodeOfAsync(grain.PostgresQueryAsync(new PgCommand("select 1")));

        Assert.Equal(ErrorCodes.QueryTimeout, first);
        Assert.Equal(ErrorCodes.QueryTimeout, second);
        Assert.Equal(ErrorCodes.CircuitOpen, third);
    }

    [Fact]
    public async Task OneTenantBlackholed_HealthyTenantCallsAllSucceed()
    {
        var (sick, proxy, _) = await TenantBehindProxyAsync();
        await using var _ = proxy;
        proxy.Mode = TcpForwarder.FaultMode.Blackhole;
        var healthyRef = SiloApi.NewRef("h");
        await Silo.CreateProjectWithPostgresAsync(healthyRef, "STARTER");
        var healthy = Silo.Grains.GetGrain<IProjectConnectionGrain>(healthyRef);

        var sickCalls = Enumerable.Range(0, 10).Select(_ => CodeOfAsync(sick.PostgresQueryAsync(new PgCommand("select 1")))).ToList();
        var healthyCalls = Enumerable.Range(0, 100).Select(i => healthy.PostgresQueryAsync(new PgCommand("select $1::int", [i]))).ToList();
        var results = await Task.WhenAll(healthyCalls);
        var sickCodes = await Task.WhenAll(sickCalls);

        Assert.Equal(Enumerable.Range(0, 100), results.Select(r => (int)r.Rows[0][0]!));
        Assert.All(sickCodes, c => Assert.Contains(c, new[] { ErrorCodes.BackendUnavailable, ErrorCodes.QueryTimeout, ErrorCodes.CircuitOpen }));
    }

    [Fact]
    public async Task FreeTierSaturated_QueueTimeoutNamingTierAndNeverMoreThanFiveConnections()
    {
        var projectRef = SiloApi.NewRef("q");
        var database = await Silo.CreateProjectWithPostgresAsync(projectRef, "FREE");
        var grain = Silo.Grains.GetGrain<IProjectConnectionGrain>(projectRef);

        using var sampler = new ActivitySampler(database, countAllConnections: true);
        var calls = Enumerable.Range(0, 80).Select(_ => grain.PostgresQueryAsync(new PgCommand("select pg_sleep(0.5)"))).ToList();
        var outcomes = await Task.WhenAll(calls.Select(async c =>
        {
            try
            {
                await c;
                return null;
            }
            catch (ConduitException e)
            {
                return e;
            }
        }));
        var peak = await sampler.StopAsync();

        var rejected = outcomes.Where(e => e is not null).ToList();
        Assert.NotEmpty(rejected);
        Assert.All(rejected, e => Assert.Equal(ErrorCodes.QueueTimeout, e!.Code));
        Assert.Contains(rejected, e => e!.Message.Contains("Tier FREE allows 20 concurrent operations", StringComparison.Ordinal) && e.Message.Contains("queue of 40", StringComparison.Ordinal));
        Assert.InRange(peak, 1, 5);
        Assert.Equal(BreakerState.Closed, (await grain.GetStatsAsync()).Databases.Single().Breaker);
    }

    [Fact]
    public async Task RateLimit_BurstExceeded_Returns429WithRetryAfter()
    {
        var projectRef = SiloApi.NewRef("rl");
        await Silo.CreateProjectAsync(projectRef, "ENTERPRISE");
        await Silo.AddDatabaseAsync(projectRef, "redis", TestServers.Redis);

        var responses = new List<HttpResponseMessage>();
        for (var i = 0; i < 12; i++)
        {
            responses.Add(await Silo.Admin.RedisAsync(projectRef, "GET", "k"));
        }

        var limited = responses.Where(r => r.StatusCode == HttpStatusCode.TooManyRequests).ToList();
        Assert.NotEmpty(limited);
        var problem = await limited[0].AssertProblemAsync(HttpStatusCode.TooManyRequests, "RATE_LIMITED");
        Assert.True(problem.GetProperty("retryAfterSeconds").GetInt32() >= 1);
        Assert.Contains("Tier ENTERPRISE allows 5 requests per second", problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
        Assert.NotNull(limited[0].Headers.RetryAfter);
    }

    [Fact]
    public async Task AdminIsolateThenReset_RejectsThenServesAgain()
    {
        var projectRef = SiloApi.NewRef("iso");
        await Silo.CreateProjectWithPostgresAsync(projectRef, "PRO");

        var isolate = await Silo.Admin.PostAsync($"/api/platform/projects/{projectRef}/breakers/postgresql/isolate", null);
        var whileIsolated = await Silo.Admin.QueryAsync(projectRef, "select 1");
        var reset = await Silo.Admin.PostAsync($"/api/platform/projects/{projectRef}/breakers/postgresql/reset", null);
        var afterReset = await Silo.Admin.QueryAsync(projectRef, "select 1");

        Assert.True(isolate.IsSuccessStatusCode, await isolate.Content.ReadAsStringAsync());
        Assert.Equal("isolated", (await isolate.JsonAsync()).GetProperty("breaker").GetString());
        await whileIsolated.AssertProblemAsync(HttpStatusCode.ServiceUnavailable, "CIRCUIT_OPEN");
        Assert.Equal("closed", (await reset.JsonAsync()).GetProperty("breaker").GetString());
        Assert.Equal(HttpStatusCode.OK, afterReset.StatusCode);
    }

    [Fact]
    public async Task BreakerIsolated_RefusesBeforeTakingRateTokens_EveryCallIsCircuitOpen()
    {
        // ENTERPRISE allows 5 requests per second here: were the breaker asked after the token bucket,
        // the sixth call would be RATE_LIMITED.
        var projectRef = SiloApi.NewRef("iso");
        await Silo.CreateProjectWithPostgresAsync(projectRef, "ENTERPRISE");
        var grain = Silo.Grains.GetGrain<IProjectConnectionGrain>(projectRef);
        var isolate = await Silo.Admin.PostAsync($"/api/platform/projects/{projectRef}/breakers/postgresql/isolate", null);
        Assert.True(isolate.IsSuccessStatusCode, await isolate.Content.ReadAsStringAsync());

        var codes = new List<string>();
        for (var i = 0; i < 20; i++)
        {
            codes.Add(await CodeOfAsync(grain.PostgresQueryAsync(new PgCommand("select 1"))));
        }

        await Silo.Admin.PostAsync($"/api/platform/projects/{projectRef}/breakers/postgresql/reset", null);
        Assert.All(codes, c => Assert.Equal(ErrorCodes.CircuitOpen, c));
        Assert.Equal("OK", await CodeOfAsync(grain.PostgresQueryAsync(new PgCommand("select 1"))));
    }

    [Fact]
    public async Task AdminIsolate_WithProjectKey_Returns403()
    {
        var projectRef = SiloApi.NewRef("iso");
        var key = await Silo.CreateProjectAsync(projectRef);
        using var client = Silo.WithKey(key);

        var response = await client.PostAsync($"/api/platform/projects/{projectRef}/breakers/postgresql/isolate", null);

        await response.AssertProblemAsync(HttpStatusCode.Forbidden, "FORBIDDEN");
    }

    [Fact]
    public async Task TooManyConnectionsForRole_IsInfrastructureAndCounts()
    {
        var connectionString = await TestServers.CreateDatabaseAsync();
        var role = $"limited_{Guid.NewGuid():N}"[..20];
        await using (var admin = new NpgsqlConnection(TestServers.PostgresAdmin))
        {
            await admin.OpenAsync();
            await using var create = new NpgsqlCommand($"CREATE ROLE {role} LOGIN PASSWORD 'pw-{role}' CONNECTION LIMIT 0", admin);
            await create.ExecuteNonQueryAsync();
        }

        var projectRef = SiloApi.NewRef("tm");
        await Silo.CreateProjectAsync(projectRef, "STARTER");
        await Silo.AddDatabaseAsync(projectRef, "postgresql", new NpgsqlConnectionStringBuilder(connectionString) { Username = role, Password = $"pw-{role}" }.ConnectionString);
        var grain = Silo.Grains.GetGrain<IProjectConnectionGrain>(projectRef);

        var error = await Assert.ThrowsAsync<ConduitException>(() => grain.PostgresQueryAsync(new PgCommand("select 1")));
        await Assert.ThrowsAsync<ConduitException>(() => grain.PostgresQueryAsync(new PgCommand("select 1")));

        Assert.Equal(ErrorCodes.BackendUnavailable, error.Code);
        Assert.Equal("53300", error.BackendCode);
        Assert.Equal(ErrorCodes.CircuitOpen, await CodeOfAsync(grain.PostgresQueryAsync(new PgCommand("select 1"))));
    }

    [Fact]
    public async Task ServerTerminatesSession_IsInfrastructure()
    {
        var projectRef = SiloApi.NewRef("term");
        var database = await Silo.CreateProjectWithPostgresAsync(projectRef, "PRO");
        var grain = Silo.Grains.GetGrain<IProjectConnectionGrain>(projectRef);
        var call = grain.PostgresQueryAsync(new PgCommand("select pg_sleep(20)"));
        // The pool's warm connections show up before the statement does: terminate only once it runs.
        await Eventually.TrueAsync(async () =>
        {
            await using var admin = new NpgsqlConnection(TestServers.PostgresAdmin);
            await admin.OpenAsync();
            await using var terminate = new NpgsqlCommand("select count(pg_terminate_backend(pid)) from pg_stat_activity where datname = $1 and state = 'active' and query like '%pg_sleep(20)%'", admin);
            terminate.Parameters.Add(new NpgsqlParameter { Value = database });
            return (long)(await terminate.ExecuteScalarAsync())! > 0;
        }, TimeSpan.FromSeconds(10));

        var error = await Assert.ThrowsAsync<ConduitException>(() => call);
        Assert.Equal(ErrorCodes.BackendUnavailable, error.Code);
        Assert.Equal("57P01", error.BackendCode);
    }
}
