namespace Conduit.Tests.Migrations;

/// <summary>Every function of migration 003, called through SQL as the silo and operators call it.</summary>
public sealed class PlatformFunctionsTests
{
    private const string Hash = "\\x" + "00112233445566778899aabbccddeeff00112233445566778899aabbccddeeff";

    [Fact]
    public async Task RecordDatabaseMetric_Samples_GetDatabaseStatsAggregatesWithinWindow()
    {
        await using var database = await PlatformDatabase.CreateAsync();
        await database.ExecuteAsync("SELECT platform.record_database_metric('proj-1', 'postgresql', 'db_active_connections', 1, '{\"pool\":\"a\"}', now() - interval '3 minutes')");
        await database.ExecuteAsync("SELECT platform.record_database_metric('proj-1', 'postgresql', 'db_active_connections', 6, '{}', now() - interval '1 minute')");
        await database.ExecuteAsync("SELECT platform.record_database_metric('proj-1', 'postgresql', 'db_active_connections', 2, '{}', now() - interval '2 minutes')");
        await database.ExecuteAsync("SELECT platform.record_database_metric('proj-1', 'postgresql', 'db_active_connections', 100, '{}', now() - interval '2 hours')");
        await database.ExecuteAsync("SELECT platform.record_database_metric('proj-1', 'redis', 'db_queries_total', 5)");
        await database.ExecuteAsync("SELECT platform.record_database_metric('proj-2', 'redis', 'db_queries_total', 50)");

        var lastHour = await database.RowsAsync("SELECT * FROM platform.get_database_stats('proj-1')");
        var threeHours = await database.RowsAsync("SELECT * FROM platform.get_database_stats('proj-1', '3 hours')");

        Assert.Equal(
            [
                ["postgresql", "db_active_connections", 3L, 3.0, 1.0, 6.0, 6.0],
                ["redis", "db_queries_total", 1L, 5.0, 5.0, 5.0, 5.0],
            ],
            lastHour);
        Assert.Equal(["postgresql", "db_active_connections", 4L, 27.25, 1.0, 100.0, 6.0], threeHours[0]);
    }

    [Fact]
    public async Task RecordDatabaseMetric_DefaultArguments_StoresEmptyLabelsAtNow()
    {
        await using var database = await PlatformDatabase.CreateAsync();

        await database.ExecuteAsync("SELECT platform.record_database_metric('proj-1', 'mongodb', 'db_errors_total', 2.5)");

        var row = (await database.RowsAsync(
            "SELECT project_ref, database_type, metric_name, value, labels::text, time > now() - interval '1 minute' FROM platform.database_metrics")).Single();
        Assert.Equal(["proj-1", "mongodb", "db_errors_total", 2.5, "{}", true], row);
    }

    [Fact]
    public async Task RecordDatabaseMetric_Labels_StoredAsGiven()
    {
        await using var database = await PlatformDatabase.CreateAsync();

        await database.ExecuteAsync("SELECT platform.record_database_metric('proj-1', 'redis', 'db_pool_size', 4, '{\"status\":\"idle\"}')");

        Assert.Equal("idle", await database.ScalarAsync<string>("SELECT labels ->> 'status' FROM platform.database_metrics"));
    }

    [Theory]
    [InlineData("'Bad_Ref', 'redis', 'm', 1", "invalid project ref 'Bad_Ref'")]
    [InlineData("NULL, 'redis', 'm', 1", "invalid project ref NULL")]
    [InlineData("'proj-1', 'mysql', 'm', 1", "unknown database type 'mysql': expected postgresql, redis or mongodb")]
    [InlineData("'proj-1', NULL, 'm', 1", "unknown database type NULL: expected postgresql, redis or mongodb")]
    [InlineData("'proj-1', 'redis', '1bad', 1", "invalid metric name '1bad'")]
    [InlineData("'proj-1', 'redis', 'm', NULL", "invalid value NULL for metric m: a number is required")]
    [InlineData("'proj-1', 'redis', 'm', 'NaN'", "invalid value 'NaN' for metric m: a number is required")]
    [InlineData("'proj-1', 'redis', 'm', 1, '[1]'", "invalid labels for metric m: a JSON object is required, not array")]
    public async Task RecordDatabaseMetric_InvalidInput_Raises22023(string arguments, string message)
    {
        await using var database = await PlatformDatabase.CreateAsync();

        var error = await database.RejectsAsync($"SELECT platform.record_database_metric({arguments})");

        Assert.Equal("22023", error.SqlState);
        Assert.StartsWith(message, error.MessageText, StringComparison.Ordinal);
        Assert.Equal(0L, await database.ScalarAsync<long>("SELECT count(*) FROM platform.database_metrics"));
    }

    [Theory]
    [InlineData("'0 seconds'")]
    [InlineData("'-1 hour'")]
    [InlineData("NULL")]
    public async Task GetDatabaseStats_NonPositiveWindow_Raises22023(string window)
    {
        await using var database = await PlatformDatabase.CreateAsync();

        var error = await database.RejectsAsync($"SELECT * FROM platform.get_database_stats('proj-1', {window})");

        Assert.Equal("22023", error.SqlState);
        Assert.StartsWith("invalid window ", error.MessageText, StringComparison.Ordinal);
    }

    [Fact]
    public async Task GetDatabaseStats_NoSamples_ReturnsNoRows()
    {
        await using var database = await PlatformDatabase.CreateAsync();

        Assert.Empty(await database.RowsAsync("SELECT * FROM platform.get_database_stats('proj-1')"));
    }

    [Fact]
    public async Task LogDatabaseEvent_Event_ReturnsIdOfStoredRow()
    {
        await using var database = await PlatformDatabase.CreateAsync();

        var first = await database.ScalarAsync<long>("SELECT platform.log_database_event('proj-1', 'postgresql', 'breaker_opened', 'five failures in 30 s', '{\"failures\":5}')");
        var second = await database.ScalarAsync<long>("SELECT platform.log_database_event('proj-1', NULL, 'idle_cleanup', NULL)");

        Assert.True(second > first);
        var rows = await database.RowsAsync(
            "SELECT id, project_ref, database_type, event_type, message, details::text, time > now() - interval '1 minute' FROM platform.database_connection_logs ORDER BY id");
        Assert.Equal(
            [
                [first, "proj-1", "postgresql", "breaker_opened", "five failures in 30 s", "{\"failures\": 5}", true],
                [second, "proj-1", null, "idle_cleanup", null, "{}", true],
            ],
            rows);
    }

    [Theory]
    [InlineData("'proj-1', 'mysql', 'error', 'x'", "unknown database type 'mysql': expected postgresql, redis, mongodb or NULL for a project-wide event")]
    [InlineData("'proj-1', 'redis', 'Bad Event', 'x'", "invalid event type 'Bad Event'")]
    [InlineData("'proj-1', 'redis', NULL, 'x'", "invalid event type NULL")]
    [InlineData("'-bad', 'redis', 'error', 'x'", "invalid project ref '-bad'")]
    [InlineData("'proj-1', 'redis', 'error', 'x', '\"text\"'", "invalid details for event error: a JSON object is required, not string")]
    public async Task LogDatabaseEvent_InvalidInput_Raises22023(string arguments, string message)
    {
        await using var database = await PlatformDatabase.CreateAsync();

        var error = await database.RejectsAsync($"SELECT platform.log_database_event({arguments})");

        Assert.Equal("22023", error.SqlState);
        Assert.StartsWith(message, error.MessageText, StringComparison.Ordinal);
    }

    [Fact]
    public async Task UpdateDatabaseHealth_RegisteredDatabase_UpdatesRowAndOverview()
    {
        await using var database = await PlatformDatabase.CreateAsync();
        await RegisterAsync(database, "proj-1", "postgresql", "default");
        await database.ExecuteAsync("SELECT platform.log_database_event('proj-1', 'postgresql', 'error', 'timeout')");
        await database.ExecuteAsync("SELECT platform.log_database_event('proj-1', 'postgresql', 'error', 'reset')");
        await database.ExecuteAsync("SELECT platform.log_database_event('proj-1', 'postgresql', 'pool_opened', NULL)");
        await database.ExecuteAsync("SELECT platform.log_database_event('proj-1', 'redis', 'error', 'other type')");
        await database.ExecuteAsync("SELECT platform.log_database_event('proj-1', NULL, 'error', 'project-wide')");
        await database.ExecuteAsync("INSERT INTO platform.database_connection_logs (time, project_ref, database_type, event_type) VALUES (now() - interval '2 hours', 'proj-1', 'postgresql', 'error')");

        var updated = await database.ScalarAsync<bool>("SELECT platform.update_database_health('proj-1', 'postgresql', 'default', 'degraded', 12.5, 'slow answers')");

        Assert.True(updated);
        var overview = (await database.RowsAsync(
            "SELECT project_ref, tier, database_type, name, target, health_status, last_response_time_ms, last_error, recent_error_count, last_health_check > now() - interval '1 minute' FROM platform.database_health_overview")).Single();
        Assert.Equal(["proj-1", "PRO", "postgresql", "default", "db.internal:5432/app", "degraded", 12.5, "slow answers", 2L, true], overview);
    }

    [Fact]
    public async Task UpdateDatabaseHealth_NullName_UpdatesDefaultAndClearsError()
    {
        await using var database = await PlatformDatabase.CreateAsync();
        await RegisterAsync(database, "proj-1", "redis", "default");
        await RegisterAsync(database, "proj-1", "redis", "cache");
        await database.ExecuteAsync("SELECT platform.update_database_health('proj-1', 'redis', NULL, 'unhealthy', NULL, 'refused')");

        var updated = await database.ScalarAsync<bool>("SELECT platform.update_database_health('proj-1', 'redis', NULL, 'healthy', 0.4)");

        Assert.True(updated);
        Assert.Equal(
            [
                ["cache", "unknown", null, null],
                ["default", "healthy", 0.4, null],
            ],
            await database.RowsAsync("SELECT name, health_status, last_response_time_ms, last_error FROM platform.database_health_overview ORDER BY name"));
    }

    [Theory]
    [InlineData("'proj-9', 'postgresql', 'default'")]
    [InlineData("'proj-1', 'postgresql', 'other'")]
    [InlineData("'proj-1', 'mongodb', 'default'")]
    public async Task UpdateDatabaseHealth_UnknownDatabase_ReturnsFalse(string database)
    {
        await using var platform = await PlatformDatabase.CreateAsync();
        await RegisterAsync(platform, "proj-1", "postgresql", "default");

        var updated = await platform.ScalarAsync<bool>($"SELECT platform.update_database_health({database}, 'healthy', 1)");

        Assert.False(updated);
        Assert.Equal("unknown", await platform.ScalarAsync<string>("SELECT health_status FROM platform.databases"));
    }

    [Theory]
    [InlineData("'mysql'", "'healthy'", "1", "unknown database type 'mysql'")]
    [InlineData("'redis'", "'sick'", "1", "unknown health status 'sick': expected unknown, healthy, degraded or unhealthy")]
    [InlineData("'redis'", "NULL", "1", "unknown health status NULL")]
    [InlineData("'redis'", "'healthy'", "-1", "invalid response time -1 ms")]
    public async Task UpdateDatabaseHealth_InvalidInput_Raises22023(string type, string status, string responseTime, string message)
    {
        await using var database = await PlatformDatabase.CreateAsync();
        await RegisterAsync(database, "proj-1", "redis", "default");

        var error = await database.RejectsAsync($"SELECT platform.update_database_health('proj-1', {type}, 'default', {status}, {responseTime})");

        Assert.Equal("22023", error.SqlState);
        Assert.StartsWith(message, error.MessageText, StringComparison.Ordinal);
    }

    [Fact]
    public async Task DatabaseHealthOverview_TwoDatabases_OneRowEach()
    {
        await using var database = await PlatformDatabase.CreateAsync();
        await RegisterAsync(database, "proj-1", "postgresql", "default");
        await RegisterAsync(database, "proj-1", "mongodb", "default");

        var rows = await database.RowsAsync("SELECT database_type, health_status, recent_error_count FROM platform.database_health_overview ORDER BY database_type");

        Assert.Equal([["mongodb", "unknown", 0L], ["postgresql", "unknown", 0L]], rows);
    }

    [Fact]
    public async Task CleanupOldDatabaseMetrics_MixedAges_DeletesOnlyOlderThanRetention()
    {
        await using var database = await PlatformDatabase.CreateAsync();
        foreach (var age in new[] { "40 days", "31 days", "29 days", "2 hours", "1 minute" })
        {
            await database.ExecuteAsync($"SELECT platform.record_database_metric('proj-1', 'redis', 'm', 1, '{{}}', now() - interval '{age}')");
        }

        var byDefault = await database.ScalarAsync<long>("SELECT platform.cleanup_old_database_metrics()");
        var byHour = await database.ScalarAsync<long>("SELECT platform.cleanup_old_database_metrics('1 hour')");
        var again = await database.ScalarAsync<long>("SELECT platform.cleanup_old_database_metrics('1 hour')");

        Assert.Equal(2L, byDefault);
        Assert.Equal(2L, byHour);
        Assert.Equal(0L, again);
        Assert.Equal(1L, await database.ScalarAsync<long>("SELECT count(*) FROM platform.database_metrics WHERE time > now() - interval '2 minutes'"));
        Assert.Equal(1L, await database.ScalarAsync<long>("SELECT count(*) FROM platform.database_metrics"));
    }

    [Fact]
    public async Task CleanupOldDatabaseLogs_MixedAges_DeletesOnlyOlderThanRetention()
    {
        await using var database = await PlatformDatabase.CreateAsync();
        foreach (var age in new[] { "100 days", "91 days", "89 days", "1 day" })
        {
            await database.ExecuteAsync($"INSERT INTO platform.database_connection_logs (time, project_ref, event_type) VALUES (now() - interval '{age}', 'proj-1', 'pool_closed')");
        }

        await database.ExecuteAsync("SELECT platform.log_database_event('proj-1', 'redis', 'pool_opened', NULL)");

        var byDefault = await database.ScalarAsync<long>("SELECT platform.cleanup_old_database_logs()");
        var byWeek = await database.ScalarAsync<long>("SELECT platform.cleanup_old_database_logs('7 days')");

        Assert.Equal(2L, byDefault);
        Assert.Equal(1L, byWeek);
        Assert.Equal(["pool_closed", "pool_opened"], (await database.RowsAsync("SELECT event_type FROM platform.database_connection_logs ORDER BY time")).Select(r => (string)r[0]!));
    }

    [Theory]
    [InlineData("cleanup_old_database_metrics", "'0 days'")]
    [InlineData("cleanup_old_database_metrics", "'-30 days'")]
    [InlineData("cleanup_old_database_logs", "NULL")]
    [InlineData("cleanup_old_database_logs", "'-1 second'")]
    public async Task Cleanup_NonPositiveRetention_Raises22023AndDeletesNothing(string function, string retention)
    {
        await using var database = await PlatformDatabase.CreateAsync();
        await database.ExecuteAsync("SELECT platform.record_database_metric('proj-1', 'redis', 'm', 1)");
        await database.ExecuteAsync("SELECT platform.log_database_event('proj-1', 'redis', 'error', NULL)");

        var error = await database.RejectsAsync($"SELECT platform.{function}({retention})");

        Assert.Equal("22023", error.SqlState);
        Assert.StartsWith("invalid retention ", error.MessageText, StringComparison.Ordinal);
        Assert.Equal(1L, await database.ScalarAsync<long>("SELECT count(*) FROM platform.database_metrics"));
        Assert.Equal(1L, await database.ScalarAsync<long>("SELECT count(*) FROM platform.database_connection_logs"));
    }

    private static async Task RegisterAsync(PlatformDatabase database, string projectRef, string type, string name)
    {
        await database.ExecuteAsync(
            "INSERT INTO platform.projects (ref, tier, api_key_hash) VALUES ($1, 'PRO', $2::bytea) ON CONFLICT DO NOTHING", projectRef, Hash);
        await database.ExecuteAsync(
            "INSERT INTO platform.databases (project_ref, type, name, connection_string_encrypted, target) VALUES ($1, $2, $3, 'v1:abcd:AAAA', 'db.internal:5432/app')",
            projectRef, type, name);
    }
}
