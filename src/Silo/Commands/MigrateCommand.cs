using Conduit.Errors;
using Conduit.Registry;
using Conduit.Silo.Migrations;
using Microsoft.Extensions.Logging.Abstractions;
using Npgsql;

namespace Conduit.Silo.Commands;

/// <summary>
/// <c>conduit migrate</c>: applies the pending migrations embedded in this build to the platform
/// database named by <c>DATABASE_URL</c>. Exit codes: 0 applied or up to date, 1 the database or a
/// migration failed, 2 bad arguments or configuration.
/// </summary>
public static class MigrateCommand
{
    /// <summary>The command's help text.</summary>
    public const string Usage = """
        usage: conduit migrate
          Applies the pending migrations of this build to the platform PostgreSQL named by DATABASE_URL
          (postgres://user:password@host:port/database or Host=…;Username=…;Password=…;Database=…).
          Safe to run from several silos at once: each migration is applied exactly once.
        """;

    /// <summary>Runs the command with the process environment; <paramref name="args"/> are those after <c>migrate</c>.</summary>
    public static Task<int> RunAsync(string[] args, TextWriter output, TextWriter error) =>
        RunAsync(args, output, error, Environment.GetEnvironmentVariable, CancellationToken.None);

    /// <summary>Runs the command, reading variables through <paramref name="environment"/>.</summary>
    public static async Task<int> RunAsync(string[] args, TextWriter output, TextWriter error, Func<string, string?> environment, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(args);
        ArgumentNullException.ThrowIfNull(output);
        ArgumentNullException.ThrowIfNull(error);
        ArgumentNullException.ThrowIfNull(environment);

        if (args is ["--help" or "-h"])
        {
            await output.WriteLineAsync(Usage).ConfigureAwait(false);
            return 0;
        }

        if (args.Length > 0)
        {
            // Not echoed: a misplaced DATABASE_URL would carry its password into the terminal's scrollback.
            await error.WriteLineAsync($"migrate: takes no arguments; it reads {PlatformConnectionString.EnvironmentVariable}.{Environment.NewLine}{Usage}").ConfigureAwait(false);
            return 2;
        }

        string connectionString;
        try
        {
            connectionString = PlatformConnectionString.Parse(environment(PlatformConnectionString.EnvironmentVariable));
        }
        catch (ConduitException ex)
        {
            await error.WriteLineAsync($"migrate: {ex.Message}").ConfigureAwait(false);
            return 2;
        }

        var target = PlatformConnectionString.Describe(connectionString);
        await using var dataSource = NpgsqlDataSource.Create(connectionString);
        var runner = new MigrationRunner(dataSource, NullLogger<MigrationRunner>.Instance);
        IReadOnlyList<string> applied;
        try
        {
            applied = await runner.ApplyAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (MigrationException ex)
        {
            await error.WriteLineAsync($"migrate: {ex.Message}").ConfigureAwait(false);
            return 1;
        }
        catch (NpgsqlException ex)
        {
            // Npgsql's messages name host, port and user, never the password.
            await error.WriteLineAsync($"migrate: the platform database at {target} failed: {ex.Message}").ConfigureAwait(false);
            return 1;
        }

        foreach (var name in applied)
        {
            await output.WriteLineAsync($"applied {name}").ConfigureAwait(false);
        }

        await output.WriteLineAsync(applied.Count == 0
            ? $"up to date: {target} has all {runner.Migrations.Count} migrations"
            : $"{target} now has all {runner.Migrations.Count} migrations").ConfigureAwait(false);
        return 0;
    }
}
