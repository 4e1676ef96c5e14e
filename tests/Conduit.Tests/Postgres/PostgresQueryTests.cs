using System.Net;
using System.Net.Http.Json;
using Conduit.Errors;
using Conduit.Postgres;
using Conduit.Projects;
using Conduit.Tests.Api;
using Conduit.Tests.Infrastructure;

namespace Conduit.Tests.Postgres;

public sealed class PostgresQueryTests(SiloFixture fixture) : IClassFixture<SiloFixture>
{
    private ConduitSilo Silo => fixture.Silo;

    [Fact]
    public async Task Query_Parameterized_ReturnsRowsAndColumns()
    {
        var projectRef = SiloApi.NewRef();
        await Silo.CreateProjectWithPostgresAsync(projectRef);

        var response = await Silo.Admin.QueryAsync(projectRef, "select $1::int + 1 as answer, $2::text as name", 41, "conduit");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var body = await response.JsonAsync();
        Assert.Equal("answer", body.GetProperty("columns")[0].GetProperty("name").GetString());
        Assert.Equal("integer", body.GetProperty("columns")[0].GetProperty("type").GetString());
        Assert.Equal(42, body.GetProperty("rows")[0][0].GetInt32());
        Assert.Equal("conduit", body.GetProperty("rows")[0][1].GetString());
    }

    [Fact]
    public async Task Execute_InsertUpdate_ReportsRowsAffected()
    {
        var projectRef = SiloApi.NewRef();
        await Silo.CreateProjectWithPostgresAsync(projectRef);
        await Silo.Admin.QueryAsync(projectRef, "create table items (id int primary key, name text)");

        var insert = await (await Silo.Admin.QueryAsync(projectRef, "insert into items values (1, 'a'), (2, 'b')")).JsonAsync();
        var update = await (await Silo.Admin.QueryAsync(projectRef, "update items set name = $1", "z")).JsonAsync();

        Assert.Equal(2, insert.GetProperty("rowsAffected").GetInt64());
        Assert.Equal(2, update.GetProperty("rowsAffected").GetInt64());
    }

    [Fact]
    public async Task Query_SyntaxError_BackendErrorWithSqlStateAndBreakerStaysClosed()
    {
        var projectRef = SiloApi.NewRef();
        await Silo.CreateProjectWithPostgresAsync(projectRef);

        for (var i = 0; i < 20; i++)
        {
            var response = await Silo.Admin.QueryAsync(projectRef, "selec 1");
            var problem = await response.AssertProblemAsync(HttpStatusCode.UnprocessableEntity, "BACKEND_ERROR");
            Assert.Equal("42601", problem.GetProperty("backendCode").GetString());
        }

        var stats = await Silo.Grains.GetGrain<IProjectConnectionGrain>(projectRef).GetStatsAsync();
        Assert.Equal(BreakerState.Closed, stats.Databases.Single().Breaker);
        Assert.Equal(HttpStatusCode.OK, (await Silo.Admin.QueryAsync(projectRef, "select 1")).StatusCode);
    }

    [Fact]
    public async Task Query_ConstraintViolation_BackendErrorKeepsSqlState()
    {
        var projectRef = SiloApi.NewRef();
        await Silo.CreateProjectWithPostgresAsync(projectRef);
        var grain = Silo.Grains.GetGrain<IProjectConnectionGrain>(projectRef);
        await grain.PostgresQueryAsync(new PgCommand("create table u (id int primary key)"));
        await grain.PostgresQueryAsync(new PgCommand("insert into u values (1)"));

        var error = await Assert.ThrowsAsync<ConduitException>(() => grain.PostgresQueryAsync(new PgCommand("insert into u values (1)")));

        Assert.Equal(ErrorCodes.BackendError, error.Code);
        Assert.Equal("23505", error.BackendCode);
    }

    [Fact]
    public async Task Query_ObjectParameter_Returns400NamingParameter()
    {
        var projectRef = SiloApi.NewRef();
        await Silo.CreateProjectWithPostgresAsync(projectRef);

        var response = await Silo.Admin.QueryAsync(projectRef, "select $1", new { nested = 1 });

        var problem = await response.AssertProblemAsync(HttpStatusCode.BadRequest, "INVALID_REQUEST");
        Assert.StartsWith("parameters[0]:", problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Query_EmptySql_Returns400NamingSql()
    {
        var projectRef = SiloApi.NewRef();
        await Silo.CreateProjectWithPostgresAsync(projectRef);

        var response = await Silo.Admin.QueryAsync(projectRef, " ");

        var problem = await response.AssertProblemAsync(HttpStatusCode.BadRequest, "INVALID_REQUEST");
        Assert.Equal("sql: a statement is required.", problem.GetProperty("detail").GetString());
    }

    [Fact]
    public async Task Query_ProTenantManyConcurrentCalls_RunInParallelOnTheServer()
    {
        var projectRef = SiloApi.NewRef();
        var database = await Silo.CreateProjectWithPostgresAsync(projectRef, "PRO");
        var grain = Silo.Grains.GetGrain<IProjectConnectionGrain>(projectRef);

        using var sampler = new ActivitySampler(database);
        var calls = Enumerable.Range(0, 20).Select(_ => grain.PostgresQueryAsync(new PgCommand("select pg_sleep(1)"))).ToList();
        await Task.WhenAll(calls);

        // A non-reentrant grain would run these one at a time: at most one pg_sleep on the server.
        Assert.True(await sampler.StopAsync() >= 10, $"peak concurrent statements was {sampler.Peak}");
    }

    [Fact]
    public async Task Query_FreeTierThirtyConcurrentSlowQueries_NeverMoreThanFiveServerConnections()
    {
        var projectRef = SiloApi.NewRef();
        var database = await Silo.CreateProjectWithPostgresAsync(projectRef, "FREE");
        var grain = Silo.Grains.GetGrain<IProjectConnectionGrain>(projectRef);

        using var sampler = new ActivitySampler(database, countAllConnections: true);
        var calls = Enumerable.Range(0, 30).Select(_ => grain.PostgresQueryAsync(new PgCommand("select pg_sleep(0.8)"))).ToList();
        await Task.WhenAll(calls);
        var peak = await sampler.StopAsync();

        Assert.InRange(peak, 2, 5);
        Assert.All(calls, c => Assert.True(c.IsCompletedSuccessfully));
    }

    [Fact]
    public async Task SetTier_WhileCallsInFlight_NoneFailAndNewPoolUsesNewLimits()
    {
        var projectRef = SiloApi.NewRef();
        await Silo.CreateProjectWithPostgresAsync(projectRef, "FREE");
        var grain = Silo.Grains.GetGrain<IProjectConnectionGrain>(projectRef);

        var calls = Enumerable.Range(0, 10).Select(_ => grain.PostgresQueryAsync(new PgCommand("select pg_sleep(0.7)"))).ToList();
        await Task.Delay(200);
        var change = await Silo.Admin.PutAsJsonAsync($"/api/platform/projects/{projectRef}/tier", new { tier = "PRO" });
        var after = Enumerable.Range(0, 10).Select(_ => grain.PostgresQueryAsync(new PgCommand("select 1"))).ToList();
        await Task.WhenAll(calls.Concat(after));

        Assert.Equal(HttpStatusCode.OK, change.StatusCode);
        var stats = await grain.GetStatsAsync();
        Assert.Equal(Model.Tier.Pro, stats.Tier);
        Assert.Equal(10, stats.Databases.Single().Pool.MinSize);
        Assert.Equal(50, stats.Databases.Single().Pool.MaxSize);
    }

    [Fact]
    public async Task CloseConnections_OpenPool_ServerConnectionsGo()
    {
        var projectRef = SiloApi.NewRef();
        var database = await Silo.CreateProjectWithPostgresAsync(projectRef, "STARTER");
        await Silo.Admin.QueryAsync(projectRef, "select 1");
        Assert.True(await TestServers.CountConnectionsAsync(database) > 0);

        var response = await Silo.Admin.DeleteAsync($"/api/platform/projects/{projectRef}/connections");

        Assert.Equal(HttpStatusCode.NoContent, response.StatusCode);
        await Eventually.TrueAsync(async () => await TestServers.CountConnectionsAsync(database) == 0, TimeSpan.FromSeconds(10));
        Assert.Equal(HttpStatusCode.OK, (await Silo.Admin.QueryAsync(projectRef, "select 1")).StatusCode);
    }

    [Fact]
    public async Task ProjectHealth_RegisteredDatabases_PingsEach()
    {
        var projectRef = SiloApi.NewRef();
        await Silo.CreateProjectWithPostgresAsync(projectRef);
        await Silo.AddDatabaseAsync(projectRef, "redis", TestServers.Redis);

        var response = await Silo.Admin.GetAsync($"/api/platform/projects/{projectRef}/health");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var body = await response.JsonAsync();
        Assert.Equal("healthy", body.GetProperty("status").GetString());
        Assert.Equal(2, body.GetProperty("databases").GetArrayLength());
        Assert.All(body.GetProperty("databases").EnumerateArray(), d => Assert.Equal("healthy", d.GetProperty("status").GetString()));
    }
}
