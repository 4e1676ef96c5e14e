using Conduit.Connectors.Postgres;
using Conduit.Model;
using Conduit.Postgres;

namespace Conduit.Tenancy;

/// <summary>The PostgreSQL calls: each runs through the database's pipeline and marks the project active.</summary>
public sealed partial class ProjectConnectionGrain
{
    /// <inheritdoc />
    public async Task<PgResult> PostgresQueryAsync(PgCommand command, CancellationToken cancellationToken = default)
    {
        PostgresRequests.Validate(command);
        var slot = RequireSlot(DatabaseType.PostgreSql, command.Database);
        try
        {
            return await slot.ExecuteAsync(CurrentTier, CurrentLimits, (connector, ct) => ((PostgresConnector)connector).QueryAsync(command, ct), cancellationToken);
        }
        finally
        {
            AfterDataCall();
        }
    }

    /// <inheritdoc />
    public async Task<PgTransactionResult> PostgresTransactionAsync(PgTransaction transaction, CancellationToken cancellationToken = default)
    {
        PostgresRequests.Validate(transaction, dataPlaneOptions.Value.MaxTransactionStatements);
        var slot = RequireSlot(DatabaseType.PostgreSql, transaction.Database);
        try
        {
            // One permit and one query timeout for the whole transaction: it holds one connection throughout.
            return await slot.ExecuteAsync(CurrentTier, CurrentLimits, (connector, ct) => ((PostgresConnector)connector).TransactionAsync(transaction, ct), cancellationToken);
        }
        finally
        {
            AfterDataCall();
        }
    }
}
