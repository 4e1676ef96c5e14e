using Conduit.Silo.Commands;
using Conduit.Silo.Migrations;

namespace Conduit.Tests.Migrations;

public sealed class MigrateCommandTests
{
    [Fact]
    public async Task RunAsync_NoDatabaseUrl_Exits2NamingIt()
    {
        var (code, output, error) = await RunAsync([], []);

        Assert.Equal(2, code);
        Assert.Empty(output);
        Assert.StartsWith("migrate: DATABASE_URL is not set: ", error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task RunAsync_MalformedDatabaseUrl_Exits2WithoutRepeatingIt()
    {
        var (code, _, error) = await RunAsync([], new() { ["DATABASE_URL"] = "postgres://app:hunter2-secret@db:notaport/x" });

        Assert.Equal(2, code);
        Assert.Equal("migrate: DATABASE_URL has a port that is not a number from 1 to 65535.", error.TrimEnd());
    }

    [Fact]
    public async Task RunAsync_UnexpectedArgument_Exits2WithoutEchoingIt()
    {
        var (code, _, error) = await RunAsync(["postgres://app:hunter2-secret@db/x"], new() { ["DATABASE_URL"] = "Host=h" });

        Assert.Equal(2, code);
        Assert.StartsWith("migrate: takes no arguments; it reads DATABASE_URL.", error, StringComparison.Ordinal);
        Assert.DoesNotContain("hunter2", error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task RunAsync_Help_PrintsUsageAndExits0()
    {
        var (code, output, _) = await RunAsync(["--help"], []);

        Assert.Equal(0, code);
        Assert.StartsWith("usage: conduit migrate", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task RunAsync_EmptyDatabase_AppliesAllThenUpToDate()
    {
        await using var database = await PlatformDatabase.CreateAsync(migrate: false);
        var environment = new Dictionary<string, string> { ["DATABASE_URL"] = database.ConnectionString };
        var all = Migration.LoadEmbedded();
        var target = $"127.0.0.1:{new Npgsql.NpgsqlConnectionStringBuilder(database.ConnectionString).Port}/{database.Name}";

        var first = await RunAsync([], environment);
        var second = await RunAsync([], environment);

        Assert.Equal(0, first.Code);
        Assert.Equal(
            [.. all.Select(m => $"applied {m.Name}"), $"{target} now has all {all.Count} migrations"],
            first.Output.TrimEnd().Split(Environment.NewLine));
        Assert.Empty(first.Error);
        Assert.Equal(0, second.Code);
        Assert.Equal($"up to date: {target} has all {all.Count} migrations", second.Output.TrimEnd());
        Assert.DoesNotContain(Infrastructure.TestServers.PostgresPassword, first.Output + second.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task RunAsync_UrlForm_AppliesMigrations()
    {
        await using var database = await PlatformDatabase.CreateAsync(migrate: false);
        var builder = new Npgsql.NpgsqlConnectionStringBuilder(database.ConnectionString);
        var url = $"postgres://{builder.Username}:{Uri.EscapeDataString(builder.Password!)}@{builder.Host}:{builder.Port}/{builder.Database}";

        var (code, _, error) = await RunAsync([], new() { ["DATABASE_URL"] = url });

        Assert.Equal(0, code);
        Assert.Empty(error);
        Assert.Equal((long)Migration.LoadEmbedded().Count, await database.ScalarAsync<long>("SELECT count(*) FROM platform.schema_migrations"));
    }

    [Fact]
    public async Task RunAsync_ServerDown_Exits1NamingTargetNotPassword()
    {
        using var listener = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
        listener.Start();
        var port = ((System.Net.IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();

        var (code, _, error) = await RunAsync([], new() { ["DATABASE_URL"] = $"postgres://app:hunter2-secret@127.0.0.1:{port}/platform?connect_timeout=2" });

        Assert.Equal(1, code);
        Assert.StartsWith($"migrate: the platform database at 127.0.0.1:{port}/platform failed: ", error, StringComparison.Ordinal);
        Assert.DoesNotContain("hunter2", error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task RunAsync_ChangedMigration_Exits1NamingFile()
    {
        await using var database = await PlatformDatabase.CreateAsync();
        await database.ExecuteAsync("UPDATE platform.schema_migrations SET checksum = 'edited' WHERE version = 3");

        var (code, _, error) = await RunAsync([], new() { ["DATABASE_URL"] = database.ConnectionString });

        Assert.Equal(1, code);
        Assert.StartsWith("migrate: Migration 003_add_multi_database_support.sql has changed since it was applied", error, StringComparison.Ordinal);
    }

    private static async Task<(int Code, string Output, string Error)> RunAsync(string[] args, Dictionary<string, string> environment)
    {
        using var output = new StringWriter();
        using var error = new StringWriter();
        var code = await MigrateCommand.RunAsync(args, output, error, name => environment.GetValueOrDefault(name), CancellationToken.None);
        return (code, output.ToString(), error.ToString());
    }
}
