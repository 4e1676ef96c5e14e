using Conduit.Silo.Migrations;
using Conduit.Tests.Infrastructure;
using Microsoft.Extensions.Logging.Abstractions;
using Npgsql;

namespace Conduit.Tests.Migrations;

/// <summary>
/// A fresh database of the run's PostgreSQL for one test, migrated unless asked not to, dropped on
/// dispose. Holds its own pool, so tests running in parallel never share state.
/// </summary>
public sealed class PlatformDatabase : IAsyncDisposable
{
    private PlatformDatabase(string connectionString)
    {
        ConnectionString = connectionString;
        DataSource = NpgsqlDataSource.Create(connectionString);
    }

    /// <summary>A connection string to the test's database (keyword form).</summary>
    public string ConnectionString { get; }

    /// <summary>The database's name.</summary>
    public string Name => new NpgsqlConnectionStringBuilder(ConnectionString).Database!;

    /// <summary>A pool on the test's database.</summary>
    public NpgsqlDataSource DataSource { get; }

    /// <summary>Creates the database and, when <paramref name="migrate"/>, applies the embedded migrations.</summary>
    public static async Task<PlatformDatabase> CreateAsync(bool migrate = true)
    {
        var database = new PlatformDatabase(await TestServers.CreateDatabaseAsync("platform"));
        if (migrate)
        {
            await new MigrationRunner(database.DataSource, NullLogger<MigrationRunner>.Instance).ApplyAsync();
        }

        return database;
    }

    /// <summary>Runs <paramref name="sql"/> with positional parameters ($1, $2…) and returns the first column of the first row.</summary>
    public async Task<T> ScalarAsync<T>(string sql, params object?[] parameters)
    {
        await using var command = Command(sql, parameters);
        var value = await command.ExecuteScalarAsync();
        return value is DBNull or null ? default! : (T)value;
    }

    /// <summary>Runs <paramref name="sql"/> with positional parameters and returns the rows it changed.</summary>
    public async Task<int> ExecuteAsync(string sql, params object?[] parameters)
    {
        await using var command = Command(sql, parameters);
        return await command.ExecuteNonQueryAsync();
    }

    /// <summary>Runs <paramref name="sql"/> and returns every row as an array of column values (DBNull as null).</summary>
    public async Task<List<object?[]>> RowsAsync(string sql, params object?[] parameters)
    {
        await using var command = Command(sql, parameters);
        await using var reader = await command.ExecuteReaderAsync();
        var rows = new List<object?[]>();
        while (await reader.ReadAsync())
        {
            var row = new object?[reader.FieldCount];
            for (var i = 0; i < row.Length; i++)
            {
                row[i] = reader.IsDBNull(i) ? null : reader.GetValue(i);
            }

            rows.Add(row);
        }

        return rows;
    }

    /// <summary>Runs <paramref name="sql"/> expecting PostgreSQL to reject it; returns the error.</summary>
    public async Task<PostgresException> RejectsAsync(string sql, params object?[] parameters) =>
        await Assert.ThrowsAsync<PostgresException>(() => ExecuteAsync(sql, parameters));

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        await DataSource.DisposeAsync();
        await using var connection = new NpgsqlConnection(TestServers.PostgresAdmin);
        await connection.OpenAsync();
        await using var drop = new NpgsqlCommand($"DROP DATABASE IF EXISTS \"{Name}\" WITH (FORCE)", connection);
        await drop.ExecuteNonQueryAsync();
    }

    private NpgsqlCommand Command(string sql, object?[] parameters)
    {
        var command = DataSource.CreateCommand(sql);
        foreach (var parameter in parameters)
        {
            command.Parameters.Add(new NpgsqlParameter { Value = parameter ?? DBNull.Value });
        }

        return command;
    }
}
