using Conduit.Registry;
using Npgsql;

namespace Conduit.Silo.Hosting;

/// <summary>
/// Stops a cluster-mode silo before it joins when the platform database lacks the Orleans tables, with a
/// message that says to run <c>migrate</c> (the providers would fail later with a bare "relation does not exist").
/// </summary>
internal sealed class OrleansSchemaCheck(OrleansDatabase database) : IHostedService
{
    /// <summary>The query keys the three providers cannot start without (migrations 004–006).</summary>
    private static readonly string[] _requiredKeys = ["InsertMembershipKey", "UpsertReminderRowKey", "WriteToStorageKey"];

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        var target = PlatformConnectionString.Describe(database.DataSource.ConnectionString);
        int found;
        try
        {
            // Two statements: PostgreSQL resolves every table a statement names before running it.
            await using var exists = database.DataSource.CreateCommand("SELECT to_regclass('orleans.orleansquery') IS NOT NULL");
            found = await exists.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false) is true ? await CountKeysAsync(cancellationToken).ConfigureAwait(false) : 0;
        }
        catch (NpgsqlException e)
        {
            // Npgsql's messages name host, port and user, never the password.
            throw new StartupException($"The platform database at {target} cannot be reached: {e.Message}");
        }

        if (found != _requiredKeys.Length)
        {
            throw new StartupException(
                $"The platform database at {target} has no Orleans cluster tables (migrations 004-006): run `Conduit.Silo migrate` with the same DATABASE_URL, then start the silo again.");
        }
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    private async Task<int> CountKeysAsync(CancellationToken cancellationToken)
    {
        await using var command = database.DataSource.CreateCommand("SELECT count(*)::int FROM orleans.OrleansQuery WHERE QueryKey = ANY($1)");
        command.Parameters.Add(new NpgsqlParameter { Value = _requiredKeys });
        return (int)(await command.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false))!;
    }
}
