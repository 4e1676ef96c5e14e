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
            await using var command = database.DataSource.CreateCommand(
                "SELECT CASE WHEN to_regclass('orleans.orleansquery') IS NULL THEN -1 ELSE (SELECT count(*)::int FROM orleans.OrleansQuery WHERE QueryKey = ANY($1)) END");
            command.Parameters.Add(new NpgsqlParameter { Value = _requiredKeys });
            found = (int)(await command.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false))!;
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
}
