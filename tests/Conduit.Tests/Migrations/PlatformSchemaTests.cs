namespace Conduit.Tests.Migrations;

/// <summary>The CHECK constraints of migrations 002 and 003: the rules hold even for a writer that skips the registry.</summary>
public sealed class PlatformSchemaTests
{
    private const string Hash = "\\x" + "00112233445566778899aabbccddeeff00112233445566778899aabbccddeeff";

    [Theory]
    [InlineData("ab")]
    [InlineData("-abc")]
    [InlineData("Upper-case")]
    [InlineData("with_underscore")]
    [InlineData("a234567890123456789012345678901234567890123456789012345678901234")]
    public async Task InsertProject_BadRef_RejectedByRefFormat(string projectRef)
    {
        await using var database = await PlatformDatabase.CreateAsync();

        var error = await database.RejectsAsync("INSERT INTO platform.projects (ref, tier, api_key_hash) VALUES ($1, 'FREE', $2::bytea)", projectRef, Hash);

        Assert.Equal("23514", error.SqlState);
        Assert.Equal("projects_ref_format", error.ConstraintName);
    }

    [Theory]
    [InlineData("GOLD")]
    [InlineData("free")]
    [InlineData("")]
    public async Task InsertProject_UnknownTier_RejectedByTierKnown(string tier)
    {
        await using var database = await PlatformDatabase.CreateAsync();

        var error = await database.RejectsAsync("INSERT INTO platform.projects (ref, tier, api_key_hash) VALUES ('proj-1', $1, $2::bytea)", tier, Hash);

        Assert.Equal("23514", error.SqlState);
        Assert.Equal("projects_tier_known", error.ConstraintName);
    }

    [Fact]
    public async Task InsertProject_ShortApiKeyHash_RejectedBySha256Length()
    {
        await using var database = await PlatformDatabase.CreateAsync();

        var error = await database.RejectsAsync("INSERT INTO platform.projects (ref, tier, api_key_hash) VALUES ('proj-1', 'PRO', '\\x0011')");

        Assert.Equal("23514", error.SqlState);
        Assert.Equal("projects_api_key_hash_sha256", error.ConstraintName);
    }

    [Theory]
    [InlineData("mysql", "default", "v1:abcd:AAAA", "unknown", "databases_type_known")]
    [InlineData("postgresql", "Bad Name", "v1:abcd:AAAA", "unknown", "databases_name_format")]
    [InlineData("postgresql", "_leading", "v1:abcd:AAAA", "unknown", "databases_name_format")]
    [InlineData("redis", "default", "redis://:secret@host:6379", "unknown", "databases_connection_string_sealed")]
    [InlineData("mongodb", "default", "v1:abcd:AAAA", "sick", "databases_health_status_known")]
    public async Task InsertDatabase_BreaksRule_RejectedByNamedConstraint(string type, string name, string sealedValue, string status, string constraint)
    {
        await using var database = await PlatformDatabase.CreateAsync();
        await database.ExecuteAsync("INSERT INTO platform.projects (ref, tier, api_key_hash) VALUES ('proj-1', 'PRO', $1::bytea)", Hash);

        var error = await database.RejectsAsync(
            "INSERT INTO platform.databases (project_ref, type, name, connection_string_encrypted, target, health_status) VALUES ('proj-1', $1, $2, $3, 'h:5432/db', $4)",
            type, name, sealedValue, status);

        Assert.Equal("23514", error.SqlState);
        Assert.Equal(constraint, error.ConstraintName);
    }

    [Fact]
    public async Task InsertDatabase_SameProjectTypeAndName_RejectedByUniqueKey()
    {
        await using var database = await PlatformDatabase.CreateAsync();
        await database.ExecuteAsync("INSERT INTO platform.projects (ref, tier, api_key_hash) VALUES ('proj-1', 'PRO', $1::bytea)", Hash);
        const string Insert = "INSERT INTO platform.databases (project_ref, type, connection_string_encrypted, target) VALUES ('proj-1', 'redis', 'v1:abcd:AAAA', 'h:6379')";
        await database.ExecuteAsync(Insert);

        var error = await database.RejectsAsync(Insert);

        Assert.Equal("23505", error.SqlState);
        Assert.Equal("databases_project_type_name_key", error.ConstraintName);
    }

    [Fact]
    public async Task DeleteProject_WithDatabases_CascadesToThem()
    {
        await using var database = await PlatformDatabase.CreateAsync();
        await database.ExecuteAsync("INSERT INTO platform.projects (ref, tier, api_key_hash) VALUES ('proj-1', 'PRO', $1::bytea)", Hash);
        await database.ExecuteAsync("INSERT INTO platform.databases (project_ref, type, connection_string_encrypted, target) VALUES ('proj-1', 'redis', 'v1:abcd:AAAA', 'h:6379')");

        await database.ExecuteAsync("DELETE FROM platform.projects WHERE ref = 'proj-1'");

        Assert.Equal(0L, await database.ScalarAsync<long>("SELECT count(*) FROM platform.databases"));
    }

    [Fact]
    public async Task InsertDatabase_Defaults_NameDefaultAndHealthUnknown()
    {
        await using var database = await PlatformDatabase.CreateAsync();
        await database.ExecuteAsync("INSERT INTO platform.projects (ref, tier, api_key_hash) VALUES ('proj-1', 'PRO', $1::bytea)", Hash);

        var row = (await database.RowsAsync(
            "INSERT INTO platform.databases (project_ref, type, connection_string_encrypted, target) VALUES ('proj-1', 'mongodb', 'v1:abcd:AAAA', 'h:27017/app') RETURNING id, name, health_status, last_health_check")).Single();

        Assert.IsType<Guid>(row[0]);
        Assert.Equal("default", row[1]);
        Assert.Equal("unknown", row[2]);
        Assert.Null(row[3]);
    }

    [Fact]
    public async Task UpdateProject_AnyColumn_TouchesUpdatedAt()
    {
        await using var database = await PlatformDatabase.CreateAsync();
        await database.ExecuteAsync(
            "INSERT INTO platform.projects (ref, tier, api_key_hash, created_at, updated_at) VALUES ('proj-1', 'FREE', $1::bytea, '2020-01-01Z', '2020-01-01Z')", Hash);

        await database.ExecuteAsync("UPDATE platform.projects SET tier = 'PRO' WHERE ref = 'proj-1'");

        var row = (await database.RowsAsync("SELECT created_at, updated_at > now() - interval '1 minute' FROM platform.projects")).Single();
        Assert.Equal(new DateTime(2020, 1, 1, 0, 0, 0, DateTimeKind.Utc), row[0]);
        Assert.Equal(true, row[1]);
    }

    [Fact]
    public async Task InsertMetric_LabelsNotObject_RejectedByLabelsObject()
    {
        await using var database = await PlatformDatabase.CreateAsync();

        var error = await database.RejectsAsync(
            "INSERT INTO platform.database_metrics (project_ref, database_type, metric_name, value, labels) VALUES ('proj-1', 'redis', 'm', 1, '[1]')");

        Assert.Equal("23514", error.SqlState);
        Assert.Equal("database_metrics_labels_object", error.ConstraintName);
    }

    [Fact]
    public async Task InsertLog_ExplicitId_RejectedByIdentity()
    {
        await using var database = await PlatformDatabase.CreateAsync();

        var error = await database.RejectsAsync("INSERT INTO platform.database_connection_logs (id, project_ref, event_type) VALUES (1, 'proj-1', 'error')");

        Assert.Equal("428C9", error.SqlState);
    }
}
