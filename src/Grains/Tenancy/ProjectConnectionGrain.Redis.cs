using Conduit.Connectors.Redis;
using Conduit.Errors;
using Conduit.Model;
using Conduit.Redis;

namespace Conduit.Tenancy;

/// <summary>The Redis calls: each runs through the database's pipeline and marks the project active.</summary>
public sealed partial class ProjectConnectionGrain
{
    /// <inheritdoc />
    public async Task<RedisReply> RedisExecuteAsync(RedisCommand command, CancellationToken cancellationToken = default)
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
            return await slot.ExecuteAsync(CurrentTier, CurrentLimits, (connector, _) => ((RedisConnector)connector).ExecuteAsync(spec.Name, args), cancellationToken);
        }
        finally
        {
            AfterDataCall();
        }
    }

    /// <inheritdoc />
    public async Task<IReadOnlyList<RedisBatchResult>> RedisBatchAsync(RedisBatch batch, CancellationToken cancellationToken = default)
    {
        if (batch?.Commands is not { } commands)
        {
            throw new ConduitException(ErrorCodes.InvalidRequest, "commands: a list of Redis commands is required.");
        }

        var max = dataPlaneOptions.Value.RedisMaxBatchCommands;
        if (commands.Count == 0)
        {
            throw new ConduitException(ErrorCodes.InvalidRequest, "commands: a batch needs at least one command.");
        }

        if (commands.Count > max)
        {
            throw new ConduitException(ErrorCodes.PayloadTooLarge, $"commands: a batch holds at most {max} commands (Conduit:DataPlane:RedisMaxBatchCommands) and this one has {commands.Count}; split it.");
        }

        var slot = RequireSlot(DatabaseType.Redis, batch.Database);
        var results = new RedisBatchResult[commands.Count];
        var pipelined = new List<RedisPipelinedCommand>(commands.Count);
        var positions = new List<int>(commands.Count);
        for (var i = 0; i < commands.Count; i++)
        {
            // Every item is validated before anything is sent; an invalid one fails alone.
            if (ValidateBatchItem(commands[i], i, slot.Name, out var error) is { } valid)
            {
                pipelined.Add(valid);
                positions.Add(i);
            }
            else
            {
                results[i] = error!;
            }
        }

        if (pipelined.Count == 0)
        {
            return results;
        }

        try
        {
            var replies = await slot.ExecuteAsync(CurrentTier, CurrentLimits, (connector, ct) => ((RedisConnector)connector).ExecuteBatchAsync(pipelined, ct), cancellationToken);
            for (var j = 0; j < replies.Length; j++)
            {
                results[positions[j]] = replies[j];
            }

            return results;
        }
        finally
        {
            AfterDataCall();
        }
    }

    private static RedisPipelinedCommand? ValidateBatchItem(RedisCommand? item, int index, string database, out RedisBatchResult? error)
    {
        error = null;
        if (item is null)
        {
            error = RedisBatchResult.Failure(ErrorCodes.InvalidRequest, $"commands[{index}]: a command is required.");
            return null;
        }

        if (item.Database is not null && !string.Equals(item.Database, database, StringComparison.Ordinal))
        {
            error = RedisBatchResult.Failure(ErrorCodes.InvalidRequest, $"commands[{index}].database: every command of a batch runs on the batch's database ('{database}'); set the database on the batch.");
            return null;
        }

        var args = item.Args ?? [];
        try
        {
            var spec = RedisCommandTable.Validate(item.Command, args);
            return new RedisPipelinedCommand(spec.Name, args);
        }
        catch (ConduitException e)
        {
            // The table's messages start with the field ("args[1]: …"); name the item in front of it.
            error = RedisBatchResult.Failure(e.Code, $"commands[{index}].{e.Message}", e.BackendCode);
            return null;
        }
    }
}
