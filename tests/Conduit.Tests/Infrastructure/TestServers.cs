using Npgsql;

namespace Conduit.Tests.Infrastructure;

/// <summary>
/// The real servers that ./test.sh starts for a run, found through environment variables.
/// A test that needs one fails with a clear message when it is missing, never skips silently.
/// </summary>
public static class TestServers
{
    /// <summary>Superuser connection string of the run's PostgreSQL (database <c>postgres</c>).</summary>
    public static string PostgresAdmin => Require("CONDUIT_TEST_PG");

    /// <summary>StackExchange.Redis configuration of the run's Redis (with its password).</summary>
    public static string Redis => Require("CONDUIT_TEST_REDIS");

    /// <summary>The password of the run's PostgreSQL, for asserting it never leaks.</summary>
    public static string PostgresPassword => new NpgsqlConnectionStringBuilder(PostgresAdmin).Password!;

    /// <summary>The password of the run's Redis, for asserting it never leaks.</summary>
    public static string RedisPassword => Redis.Split(',').Single(p => p.StartsWith("password=", StringComparison.Ordinal))["password=".Length..];

    /// <summary>Creates a fresh, empty database and returns a connection string to it.</summary>
    public static async Task<string> CreateDatabaseAsync(string prefix = "t")
    {
        var name = $"{prefix}_{Guid.NewGuid():N}"[..Math.Min(prefix.Length + 33, 63)];
        await using (var connection = new NpgsqlConnection(PostgresAdmin))
        {
            await connection.OpenAsync();
            await using var command = new NpgsqlCommand($"CREATE DATABASE \"{name}\"", connection);
            await command.ExecuteNonQueryAsync();
        }

        return new NpgsqlConnectionStringBuilder(PostgresAdmin) { Database = name }.ConnectionString;
    }

    /// <summary>Server connections currently open to <paramref name="database"/>, from <c>pg_stat_activity</c>.</summary>
    public static async Task<int> CountConnectionsAsync(string database)
    {
        await using var connection = new NpgsqlConnection(PostgresAdmin);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand("SELECT count(*) FROM pg_stat_activity WHERE datname = $1 AND backend_type = 'client backend' AND pid <> pg_backend_pid()", connection);
        command.Parameters.Add(new NpgsqlParameter { Value = database });
        return Convert.ToInt32(await command.ExecuteScalarAsync(), System.Globalization.CultureInfo.InvariantCulture);
    }

    private static string Require(string variable) =>
        Environment.GetEnvironmentVariable(variable) is { Length: > 0 } value
            ? value
            : throw new InvalidOperationException($"{variable} is not set: run the tests through ./test.sh, which starts PostgreSQL and Redis and sets it.");
}
