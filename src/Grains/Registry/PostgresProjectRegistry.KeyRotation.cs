using Conduit.Errors;
using Conduit.Model;
using Conduit.Secrets;
using Microsoft.Extensions.Logging;
using Npgsql;

namespace Conduit.Registry;

/// <summary>Key rotation: re-sealing the stored connection strings under a new key.</summary>
public sealed partial class PostgresProjectRegistry
{
    private const int RotationBatchSize = 500;

    /// <summary>
    /// Re-seals every stored connection string from <paramref name="current"/>'s key to
    /// <paramref name="next"/>'s, in one transaction; returns how many were re-sealed.
    /// </summary>
    /// <remarks>
    /// Every value is opened under <paramref name="current"/> before any is written: if one does not open
    /// (a wrong current key, a tampered value) it throws <c>SECRET_UNREADABLE</c> naming the databases and
    /// changes nothing. A value already sealed with <paramref name="next"/> that opens under it is left
    /// alone, so a rotation that is run twice is harmless. Writes to <c>platform.databases</c> wait
    /// until it commits.
    /// </remarks>
    public async Task<int> RotateKeyAsync(SecretProtector current, SecretProtector next, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(current);
        ArgumentNullException.ThrowIfNull(next);
        if (current.KeyId == next.KeyId)
        {
            throw new ConduitException(ErrorCodes.InvalidRequest, $"The new key is the current key (id {current.KeyId}): generate a new one with openssl rand -base64 32.");
        }

        try
        {
            await using var connection = await _dataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
            await using var transaction = await connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);

            // FOR UPDATE alone leaves inserts free, and a database registered meanwhile would keep the
            // old key; EXCLUSIVE holds off every write but no read.
            await using (var lockTable = new NpgsqlCommand("LOCK TABLE platform.databases IN EXCLUSIVE MODE", connection, transaction))
            {
                await lockTable.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
            }

            var rows = await ReadSealedAsync(connection, transaction, cancellationToken).ConfigureAwait(false);
            var resealed = new List<(Guid Id, string Sealed)>(rows.Count);
            var failures = new List<string>();
            var alreadyNext = $"v1:{next.KeyId}:";
            foreach (var row in rows)
            {
                var binding = DatabaseRecord.SecretBinding(row.ProjectRef, row.Type, row.Name);
                if (row.Sealed.StartsWith(alreadyNext, StringComparison.Ordinal) && Opens(next, row.Sealed, binding))
                {
                    continue;
                }

                try
                {
                    resealed.Add((row.Id, next.Protect(current.Unprotect(row.Sealed, binding), binding)));
                }
                catch (ConduitException ex) when (ex.Code == ErrorCodes.SecretUnreadable)
                {
                    failures.Add($"{binding}: {ex.Message}");
                }
            }

            if (failures.Count > 0)
            {
                throw new ConduitException(
                    ErrorCodes.SecretUnreadable,
                    $"{failures.Count} of {rows.Count} stored connection strings do not open under the current key {current.KeyId}, so none was re-sealed. {string.Join(" ", failures.Take(5))}");
            }

            foreach (var chunk in resealed.Chunk(RotationBatchSize))
            {
                await using var batch = new NpgsqlBatch(connection, transaction);
                foreach (var (id, sealedValue) in chunk)
                {
                    var update = new NpgsqlBatchCommand("UPDATE platform.databases SET connection_string_encrypted = $1 WHERE id = $2");
                    update.Parameters.Add(new NpgsqlParameter { Value = sealedValue });
                    update.Parameters.Add(new NpgsqlParameter { Value = id });
                    batch.BatchCommands.Add(update);
                }

                await batch.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
            }

            await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
            LogKeyRotated(_logger, resealed.Count, current.KeyId, next.KeyId);
            return resealed.Count;
        }
        catch (NpgsqlException ex)
        {
            throw Unavailable(ex, nameof(RotateKeyAsync));
        }
    }

    private static async Task<List<SealedRow>> ReadSealedAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, CancellationToken cancellationToken)
    {
        await using var select = new NpgsqlCommand(
            "SELECT id, project_ref, type, name, connection_string_encrypted FROM platform.databases ORDER BY id FOR UPDATE", connection, transaction);
        await using var reader = await select.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        var rows = new List<SealedRow>();
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            rows.Add(new SealedRow(reader.GetGuid(0), reader.GetString(1), ParseType(reader.GetString(2)), reader.GetString(3), reader.GetString(4)));
        }

        return rows;
    }

    private static bool Opens(SecretProtector protector, string sealedValue, string binding)
    {
        try
        {
            protector.Unprotect(sealedValue, binding);
            return true;
        }
        catch (ConduitException ex) when (ex.Code == ErrorCodes.SecretUnreadable)
        {
            return false;
        }
    }

    [LoggerMessage(EventId = 3103, Level = LogLevel.Information, Message = "Re-sealed {Count} connection strings from key {CurrentKeyId} to key {NextKeyId}.")]
    private static partial void LogKeyRotated(ILogger logger, int count, string currentKeyId, string nextKeyId);

    private sealed record SealedRow(Guid Id, string ProjectRef, DatabaseType Type, string Name, string Sealed);
}
