using System.Net;
using Conduit.Errors;
using Conduit.Postgres;
using Conduit.Projects;
using Conduit.Tests.Infrastructure;

namespace Conduit.Tests.Postgres;

public sealed class PostgresTransactionTests(PostgresClientFixture fixture) : IClassFixture<PostgresClientFixture>
{
    private ConduitSilo Silo => fixture.Silo;

    [Fact]
    public async Task Transaction_Statements_CommitAndReturnResultsInOrder()
    {
        var projectRef = SiloApi.NewRef();
        await Silo.CreateProjectWithPostgresAsync(projectRef);

        var response = await Silo.Admin.TransactionAsync(projectRef, new
        {
            statements = new object[]
            {
                new { sql = "create table accounts (id int primary key, balance int not null)" },
                new { sql = "insert into accounts values ($1, $2), ($3, $4)", parameters = new object[] { 1, 100, 2, 0 } },
                new { sql = "update accounts set balance = balance + $1 where id = $2 returning id, balance", parameters = new object[] { 25, 2 } },
                new { sql = "select sum(balance)::int as total from accounts" },
            },
        });

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var results = (await response.JsonAsync()).GetProperty("results");
        Assert.Equal(4, results.GetArrayLength());
        Assert.Equal(0, results[0].GetProperty("columns").GetArrayLength());
        Assert.Equal(2, results[1].GetProperty("rowsAffected").GetInt64());
        Assert.Equal(1, results[2].GetProperty("rowsAffected").GetInt64());
        Assert.Equal(25, results[2].GetProperty("rows")[0][1].GetInt32());
        Assert.Equal(125, results[3].GetProperty("rows")[0][0].GetInt32());
        Assert.Equal(-1, results[3].GetProperty("rowsAffected").GetInt64());
    }

    [Fact]
    public async Task Transaction_FailingStatement_RollsBackEverythingAndNamesTheStatement()
    {
        var projectRef = SiloApi.NewRef();
        await Silo.CreateProjectWithPostgresAsync(projectRef);
        await Silo.Admin.QueryAsync(projectRef, "create table t (id int primary key)");

        var response = await Silo.Admin.TransactionAsync(projectRef, new
        {
            statements = new object[]
            {
                new { sql = "insert into t values (1)" },
                new { sql = "insert into t values (2)" },
                new { sql = "insert into t values (1)" },
                new { sql = "insert into t values (3)" },
            },
        });

        var problem = await response.AssertProblemAsync(HttpStatusCode.UnprocessableEntity, "BACKEND_ERROR");
        Assert.Equal("23505", problem.GetProperty("backendCode").GetString());
        Assert.StartsWith("statements[2]: PostgreSQL rejected the statement: 23505", problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
        var count = await (await Silo.Admin.QueryAsync(projectRef, "select count(*)::int from t")).JsonAsync();
        Assert.Equal(0, count.GetProperty("rows")[0][0].GetInt32());
    }

    [Fact]
    public async Task Transaction_FailingStatement_BreakerStaysClosedAndNextTransactionWorks()
    {
        var projectRef = SiloApi.NewRef();
        await Silo.CreateProjectWithPostgresAsync(projectRef);
        var grain = Silo.Grains.GetGrain<IProjectConnectionGrain>(projectRef);

        for (var i = 0; i < 10; i++)
        {
            var error = await Assert.ThrowsAsync<ConduitException>(() => grain.PostgresTransactionAsync(new PgTransaction([PgStatement.Of("select 1"), PgStatement.Of("select * from missing")])));
            Assert.Equal("42P01", error.BackendCode);
            Assert.StartsWith("statements[1]: ", error.Message, StringComparison.Ordinal);
        }

        var stats = await grain.GetStatsAsync();
        Assert.Equal(BreakerState.Closed, stats.Databases.Single().Breaker);
        var ok = await grain.PostgresTransactionAsync(new PgTransaction([PgStatement.Of("select $1::int", 7)]));
        Assert.Equal(7, ok.Results[0].Rows[0][0]);
    }

    [Theory]
    [InlineData("read committed", "read committed")]
    [InlineData("repeatable_read", "repeatable read")]
    [InlineData("SERIALIZABLE", "serializable")]
    public async Task Transaction_IsolationLevel_RunsAtThatLevel(string requested, string expected)
    {
        var projectRef = SiloApi.NewRef();
        await Silo.CreateProjectWithPostgresAsync(projectRef);

        var response = await Silo.Admin.TransactionAsync(projectRef, new
        {
            isolationLevel = requested,
            statements = new object[] { new { sql = "select current_setting('transaction_isolation')" } },
        });

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(expected, (await response.JsonAsync()).GetProperty("results")[0].GetProperty("rows")[0][0].GetString());
    }

    [Fact]
    public async Task Transaction_SerializableConflict_BackendError40001AndRolledBack()
    {
        var projectRef = SiloApi.NewRef();
        await Silo.CreateProjectWithPostgresAsync(projectRef);
        var project = fixture.Conduit.Project(projectRef);
        await project.Postgres.QueryAsync("create table c (id int primary key, n int)");
        await project.Postgres.QueryAsync("insert into c values (1, 0)");

        // The first transaction holds its snapshot (pg_sleep) while the second commits a change to the same row.
        var first = project.Postgres.TransactionAsync(
            PgIsolationLevel.Serializable,
            PgStatement.Of("select n from c where id = 1"),
            PgStatement.Of("select pg_sleep(1.5)"),
            PgStatement.Of("update c set n = n + 1 where id = 1"));
        await Task.Delay(500);
        await project.Postgres.TransactionAsync(PgIsolationLevel.Serializable, PgStatement.Of("update c set n = n + 10 where id = 1"));

        var error = await Assert.ThrowsAsync<ConduitException>(() => first);
        Assert.Equal(ErrorCodes.BackendError, error.Code);
        Assert.Equal("40001", error.BackendCode);
        Assert.StartsWith("statements[2]: ", error.Message, StringComparison.Ordinal);
        Assert.Equal(10, await project.Postgres.ScalarAsync("select n from c where id = 1"));
    }

    [Fact]
    public async Task Transaction_ThroughTheClient_ReturnsTypedResultsPerStatement()
    {
        var projectRef = SiloApi.NewRef("c");
        await Silo.CreateProjectWithPostgresAsync(projectRef);
        var postgres = fixture.Conduit.Project(projectRef).Postgres;

        var result = await postgres.TransactionAsync(
            PgStatement.Of("create table kv (k text primary key, v jsonb)"),
            PgStatement.Of("insert into kv values ($1, $2)", "a", new PgTypedValue("jsonb", """{"x": 1}""")),
            PgStatement.Of("select k, v, v->>'x' from kv"));

        Assert.Equal(3, result.Results.Count);
        Assert.Equal(1, result.Results[1].RowsAffected);
        Assert.Equal(["a", """{"x": 1}""", "1"], result.Results[2].Rows[0]);
        Assert.Equal("jsonb", result.Results[2].Columns[1].Type);
    }

    [Fact]
    public async Task Transaction_NamedDatabase_RunsThere()
    {
        var projectRef = SiloApi.NewRef();
        await Silo.CreateProjectWithPostgresAsync(projectRef);
        await Silo.AddDatabaseAsync(projectRef, "postgresql", await TestServers.CreateDatabaseAsync("other"), "reports");
        var postgres = fixture.Conduit.Project(projectRef).Postgres;

        var result = await postgres.TransactionAsync(new PgTransaction([PgStatement.Of("select current_database()")], Database: "reports"));

        Assert.StartsWith("other_", (string)result.Results[0].Rows[0][0]!, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Transaction_TransactionControlStatement_Returns400NamingTheStatement()
    {
        var projectRef = SiloApi.NewRef();
        await Silo.CreateProjectWithPostgresAsync(projectRef);

        var response = await Silo.Admin.TransactionAsync(projectRef, new { statements = new object[] { new { sql = "select 1" }, new { sql = "  -- done\n COMMIT" } } });

        var problem = await response.AssertProblemAsync(HttpStatusCode.BadRequest, "INVALID_REQUEST");
        Assert.StartsWith("statements[1].sql: COMMIT is not allowed inside a transaction call", problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Transaction_TwoCommandsInOneStatement_RefusedByPostgresAndRolledBack()
    {
        var projectRef = SiloApi.NewRef();
        await Silo.CreateProjectWithPostgresAsync(projectRef);
        await Silo.Admin.QueryAsync(projectRef, "create table t (id int)");

        var response = await Silo.Admin.TransactionAsync(projectRef, new { statements = new object[] { new { sql = "insert into t values (1)" }, new { sql = "insert into t values (2); commit" } } });

        var problem = await response.AssertProblemAsync(HttpStatusCode.UnprocessableEntity, "BACKEND_ERROR");
        Assert.Equal("42601", problem.GetProperty("backendCode").GetString());
        Assert.StartsWith("statements[1]: ", problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
        var count = await (await Silo.Admin.QueryAsync(projectRef, "select count(*)::int from t")).JsonAsync();
        Assert.Equal(0, count.GetProperty("rows")[0][0].GetInt32());
    }

    [Fact]
    public async Task Transaction_SavepointAndRollbackTo_AreAllowed()
    {
        var projectRef = SiloApi.NewRef();
        await Silo.CreateProjectWithPostgresAsync(projectRef);
        var postgres = fixture.Conduit.Project(projectRef).Postgres;

        var result = await postgres.TransactionAsync(
            PgStatement.Of("create table t (id int)"),
            PgStatement.Of("insert into t values (1)"),
            PgStatement.Of("savepoint s"),
            PgStatement.Of("insert into t values (2)"),
            PgStatement.Of("rollback to savepoint s"),
            PgStatement.Of("select array_agg(id) from t"));

        Assert.Equal(new int?[] { 1 }, result.Results[5].Rows[0][0]);
    }

    [Theory]
    [InlineData("{}", "statements: at least one statement is required.")]
    [InlineData("""{"statements":[]}""", "statements: at least one statement is required.")]
    [InlineData("""{"statements":[null]}""", "statements[0]: a statement object {\"sql\":…,\"parameters\":[…]} is required.")]
    [InlineData("""{"statements":[{"sql":"select 1"},{"sql":" "}]}""", "statements[1].sql: a statement is required.")]
    [InlineData("""{"statements":[{"sql":"select 1"},{}]}""", "statements[1].sql: a statement is required.")]
    [InlineData("""{"statements":[{"sql":"select $1","parameters":[{"nested":1}]}]}""", "statements[0].parameters[0]: a typed parameter has only \"type\" (a string) and \"value\"; got \"nested\". To send a JSON object, use {\"type\":\"jsonb\",\"value\":{…}}.")]
    [InlineData("""{"statements":[{"sql":"select 1"}],"isolationLevel":"snapshot"}""", "isolationLevel: 'snapshot' is not one of \"read committed\", \"repeatable read\", \"serializable\".")]
    [InlineData("""{"statements":[{"sql":"select 1"}],"database":" "}""", "database: a registered database name is required when the field is given; omit it for the default database.")]
    [InlineData("""{"statements":"select 1"}""", "statements: the request is not valid JSON for this route (line 1, byte 24).")]
    public async Task Transaction_BadInput_Returns400NamingTheField(string body, string detail)
    {
        var projectRef = SiloApi.NewRef();
        await Silo.CreateProjectWithPostgresAsync(projectRef);

        var response = await Silo.Admin.PostRawAsync(projectRef, "transaction", body);

        var problem = await response.AssertProblemAsync(HttpStatusCode.BadRequest, "INVALID_REQUEST");
        Assert.Equal(detail, problem.GetProperty("detail").GetString());
    }

    [Fact]
    public async Task Transaction_UnsendableParameterType_NamesStatementAndParameter()
    {
        var projectRef = SiloApi.NewRef();
        await Silo.CreateProjectWithPostgresAsync(projectRef);
        var postgres = fixture.Conduit.Project(projectRef).Postgres;

        var error = await Assert.ThrowsAsync<ConduitException>(() => postgres.TransactionAsync(PgStatement.Of("select 1"), PgStatement.Of("select $1, $2", 1, new Uri("http://x"))));

        Assert.Equal(ErrorCodes.InvalidRequest, error.Code);
        Assert.StartsWith("statements[1].parameters[1]: values of type Uri cannot be sent to PostgreSQL.", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Transaction_UnknownProject_ProjectNotFound()
    {
        var response = await Silo.Admin.TransactionAsync(SiloApi.NewRef(), new { statements = new object[] { new { sql = "select 1" } } });

        await response.AssertProblemAsync(HttpStatusCode.NotFound, "PROJECT_NOT_FOUND");
    }

    [Fact]
    public async Task Transaction_ProjectKey_IsAccepted()
    {
        var key = await Silo.CreateProjectAsync(SiloApi.NewRef());
        var own = SiloApi.NewRef();
        var ownKey = await Silo.CreateProjectAsync(own);
        await Silo.AddDatabaseAsync(own, "postgresql", await TestServers.CreateDatabaseAsync());
        using var client = Silo.WithKey(ownKey);
        using var other = Silo.WithKey(key);

        var allowed = await client.TransactionAsync(own, new { statements = new object[] { new { sql = "select 1" } } });
        var denied = await other.TransactionAsync(own, new { statements = new object[] { new { sql = "select 1" } } });

        Assert.Equal(HttpStatusCode.OK, allowed.StatusCode);
        await denied.AssertProblemAsync(HttpStatusCode.Forbidden, "FORBIDDEN");
    }
}
