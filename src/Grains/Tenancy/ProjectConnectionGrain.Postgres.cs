using Conduit.Connectors.Postgres;
using Conduit.Errors;
using Conduit.Model;
using Conduit.Postgres;

namespace Conduit.Tenancy;

/// <summary>The PostgreSQL calls: each runs through the database's pipeline and marks the project active.</summary>
public sealed partial class ProjectConnectionGrain
{
    /// <inheritdoc />
    public async Task<PgResult> PostgresQueryAsync(PgCommand command)
    {
        if (command is null || string.IsNullOrWhiteSpace(command.Sql))
        {
            throw new ConduitException(ErrorCodes.InvalidRequest, "sql: a statement is required.");
        }

        var slot = RequireSlot(DatabaseType.PostgreSql, command.Database);
        try
        {
            return await slot.ExecuteAsync(CurrentTier, CurrentLimits, (connector, ct) => ((PostgresConnector)connector).QueryAsync(command, ct));
        }
        finally
        {
            await AfterDataCallAsync();
        }
    }
}
