using Microsoft.Extensions.Options;
using Npgsql;

namespace Conduit.Platform;

/// <summary>Calls the platform store's retention functions; registered only with the PostgreSQL platform store.</summary>
public sealed class PlatformRetention(NpgsqlDataSource platform, IOptions<RetentionOptions> options, TimeProvider timeProvider)
{
    /// <summary>Deletes metric samples and connection events older than their retention.</summary>
    public async Task<RetentionRun> RunAsync(CancellationToken cancellationToken)
    {
        var retention = options.Value;
        await using var command = platform.CreateCommand("SELECT platform.cleanup_old_database_metrics($1), platform.cleanup_old_database_logs($2)");
        command.Parameters.Add(new NpgsqlParameter { Value = retention.MetricsRetention });
        command.Parameters.Add(new NpgsqlParameter { Value = retention.LogsRetention });
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        await reader.ReadAsync(cancellationToken).ConfigureAwait(false);
        return new RetentionRun(timeProvider.GetUtcNow(), reader.GetInt64(0), reader.GetInt64(1));
    }
}
