using Conduit.Connectors.Redis;
using Conduit.Errors;
using Conduit.Model;
using Conduit.Redis;

namespace Conduit.Tenancy;

/// <summary>The Redis calls: each runs through the database's pipeline and marks the project active.</summary>
public sealed partial class ProjectConnectionGrain
{
    /// <inheritdoc />
    public async Task<RedisReply> RedisExecuteAsync(RedisCommand command)
    {
        if (command is null)
        {
            throw new ConduitException(ErrorCodes.InvalidRequest, "command: a Redis command is required.");
        }

        var args = command.Args ?? [];
        var spec = RedisCommandTable.Validate(command.Command, args);
        var slot = RequireSlot(DatabaseType.Redis, command.Database);
        try
        {
            return await slot.ExecuteAsync(CurrentTier, CurrentLimits, (connector, _) => ((RedisConnector)connector).ExecuteAsync(spec.Name, args));
        }
        finally
        {
            await AfterDataCallAsync();
        }
    }
}
