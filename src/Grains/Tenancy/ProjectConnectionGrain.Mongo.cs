using Conduit.Connectors.Mongo;
using Conduit.Model;
using Conduit.Mongo;

namespace Conduit.Tenancy;

/// <summary>The MongoDB calls: validated before they take a permit, then run through the database's pipeline.</summary>
public sealed partial class ProjectConnectionGrain
{
    /// <inheritdoc />
    public async Task<MongoResult> MongoExecuteAsync(MongoCommand command, CancellationToken cancellationToken = default)
    {
        // Names, operation and arguments are checked first: a bad request costs no permit and no round trip.
        var request = MongoRequestParser.Parse(command, dataPlaneOptions.Value.MaxRows);
        var slot = RequireSlot(DatabaseType.MongoDb, command.Registration);
        try
        {
            return await slot.ExecuteAsync(CurrentTier, CurrentLimits, (connector, ct) => ((MongoConnector)connector).ExecuteAsync(request, ct), cancellationToken);
        }
        finally
        {
            AfterDataCall();
        }
    }
}
