using System.Net;
using Conduit.Errors;
using Conduit.Postgres;
using Conduit.Projects;
using Conduit.Tests.Infrastructure;
using Npgsql;

namespace Conduit.Tests.Postgres;

public sealed class PostgresLimitsTests(PostgresLimitsFixture fixture) : IClassFixture<PostgresLimitsFixture>
{
    private ConduitSilo Silo => fixture.Silo;

    [Fact]
    public async Task Query_AtTheRowCap_ReturnsAllRows()
    {
        var projectRef = SiloApi.NewRef();
        await Silo.CreateProjectWithPostgresAsync(projectRef);

        var response = await Silo.Admin.QueryAsync(projectRef, "select g from generate_series(1, $1) g", PostgresLimitsFixture.MaxRows);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(PostgresLimitsFixture.MaxRows, (await response.JsonAsync()).GetProperty("rows").GetArrayLength());
    }

    [Fact]
    public async Task Query_OneRowPastTheCap_ResultTooLarge()
    {
        var projectRef = SiloApi.NewRef();
        await Silo.CreateProjectWithPostgresAsync(projectRef);

        var response = await Silo.Admin.QueryAsync(projectRef, "select g from generate_series(1, $1) g", PostgresLimitsFixture.MaxRows + 1);

        var problem = await response.AssertProblemAsync(HttpStatusCode.UnprocessableEntity, "RESULT_TOO_LARGE");
        Assert.Equal("The result has more than 10 rows, the most one call may return (Conduit:DataPlane:MaxRows). Add a LIMIT or page through it.", problem.GetProperty("detail").GetString());
    }

    [Fact]
    public async Task Query_EndlessResult_RefusedWithoutReadingItAndTheServerStopsTheStatement()
    {
        var projectRef = SiloApi.NewRef();
        var database = await Silo.CreateProjectWithPostgresAsync(projectRef, "FREE");
        var grain = Silo.Grains.GetGrain<IProjectConnectionGrain>(projectRef);

        // A billion rows, streamed (a set-returning function in the select list is not materialized): buffering or draining them would run far past FREE's 2 s query timeout (QUERY_TIMEOUT),
        // so RESULT_TOO_LARGE shows the call stopped at the cap and cancelled the statement.
        var error = await Assert.ThrowsAsync<ConduitException>(() => grain.PostgresQueryAsync(new PgCommand("select generate_series(1, 1000000000) as g, repeat('x', 1000)")));

        Assert.Equal(ErrorCodes.ResultTooLarge, error.Code);
        await Eventually.TrueAsync(async () => await CountActiveAsync(database, "generate_series") == 0, TimeSpan.FromSeconds(10));
        Assert.Equal(1, (await grain.PostgresQueryAsync(new PgCommand("select 1"))).Rows[0][0]);
    }

    [Fact]
    public async Task Transaction_RowsOfAllStatementsCount_ResultTooLargeNamesTheStatementAndRollsBack()
    {
        var projectRef = SiloApi.NewRef();
        await Silo.CreateProjectWithPostgresAsync(projectRef);
        var grain = Silo.Grains.GetGrain<IProjectConnectionGrain>(projectRef);
        await grain.PostgresQueryAsync(new PgCommand("create table t (id int)"));

        var error = await Assert.ThrowsAsync<ConduitException>(() => grain.PostgresTransactionAsync(new PgTransaction(
        [
            PgStatement.Of("insert into t select g from generate_series(1, 6) g returning id"),
            PgStatement.Of("select id from t"),
        ])));

        Assert.Equal(ErrorCodes.ResultTooLarge, error.Code);
        Assert.StartsWith("statements[1]: the result has more than 10 rows", error.Message, StringComparison.Ordinal);
        Assert.Equal(0L, (await grain.PostgresQueryAsync(new PgCommand("select count(*) from t"))).Rows[0][0]);
    }

    [Fact]
    public async Task Transaction_RowsAtTheCapAcrossStatements_Commit()
    {
        var projectRef = SiloApi.NewRef();
        await Silo.CreateProjectWithPostgresAsync(projectRef);
        var grain = Silo.Grains.GetGrain<IProjectConnectionGrain>(projectRef);

        var result = await grain.PostgresTransactionAsync(new PgTransaction([PgStatement.Of("select generate_series(1, 4)"), PgStatement.Of("select generate_series(1, 6)")]));

        Assert.Equal([4, 6], result.Results.Select(r => r.Rows.Count));
    }

    [Fact]
    public async Task Transaction_MoreStatementsThanTheCap_Returns400NamingTheSetting()
    {
        var projectRef = SiloApi.NewRef();
        await Silo.CreateProjectWithPostgresAsync(projectRef);

        var response = await Silo.Admin.TransactionAsync(projectRef, new { statements = Enumerable.Range(0, PostgresLimitsFixture.MaxStatements + 1).Select(_ => new { sql = "select 1" }) });

        var problem = await response.AssertProblemAsync(HttpStatusCode.BadRequest, "INVALID_REQUEST");
        Assert.Equal("statements: 4 statements are more than the 3 one transaction may hold (Conduit:DataPlane:MaxTransactionStatements). Split the work or raise the setting.", problem.GetProperty("detail").GetString());
    }

    [Fact]
    public async Task Transaction_PastTheQueryTimeout_QueryTimeoutRollsBackAndStopsTheStatement()
    {
        var projectRef = SiloApi.NewRef();
        var database = await Silo.CreateProjectWithPostgresAsync(projectRef, "FREE");
        var grain = Silo.Grains.GetGrain<IProjectConnectionGrain>(projectRef);
        await grain.PostgresQueryAsync(new PgCommand("create table t (id int)"));

        // Each statement alone is inside the 2 s timeout; together they are not: the timeout is per transaction.
        // Together they run a second past it, so a timer that fires late on a loaded machine still fires in time.
        var error = await Assert.ThrowsAsync<ConduitException>(() => grain.PostgresTransactionAsync(new PgTransaction(
        [
            PgStatement.Of("insert into t values (1)"),
            PgStatement.Of("select pg_sleep(1.5)"),
            PgStatement.Of("select pg_sleep(1.5)"),
        ])));

        Assert.Equal(ErrorCodes.QueryTimeout, error.Code);
        await Eventually.TrueAsync(async () => await CountActiveAsync(database, "pg_sleep") == 0, TimeSpan.FromSeconds(10));
        Assert.Equal(0L, (await grain.PostgresQueryAsync(new PgCommand("select count(*) from t"))).Rows[0][0]);
    }

    private static async Task<int> CountActiveAsync(string database, string fragment)
    {
        await using var connection = new NpgsqlConnection(TestServers.PostgresAdmin);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand("select count(*)::int from pg_stat_activity where datname = $1 and state = 'active' and query like '%' || $2 || '%' and pid <> pg_backend_pid()", connection);
        command.Parameters.Add(new NpgsqlParameter { Value = database });
        command.Parameters.Add(new NpgsqlParameter { Value = fragment });
        return (int)(await command.ExecuteScalarAsync())!;
    }
}
