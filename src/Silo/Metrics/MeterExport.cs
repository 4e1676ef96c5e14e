using Conduit.Options;
using Microsoft.Extensions.Options;

namespace Conduit.Silo.Metrics;

/// <summary>
/// Exports .NET meters into the silo's registry for the life of the host: the configured meters (Orleans by
/// default) and Npgsql's, summed over tenant pools (see <see cref="AggregatingMeterBridge"/>).
/// </summary>
/// <remarks>Takes <see cref="ConduitMetrics"/> so the product's families exist from the first scrape.</remarks>
public sealed class MeterExport(ConduitMetrics metrics, IOptions<MetricsOptions> options, IOptions<TierOptions> tiers) : IHostedService, IDisposable
{
    /// <summary>The meter Npgsql records on.</summary>
    public const string NpgsqlMeter = "Npgsql";

    private AggregatingMeterBridge? _bridge;

    /// <inheritdoc />
    public Task StartAsync(CancellationToken cancellationToken)
    {
        var prefixes = MetricsOptionsValidator.Split(options.Value.Meters)
            .Where(m => m != NpgsqlMeter)
            .Distinct(StringComparer.Ordinal)
            .ToDictionary(m => m, AggregatingMeterBridge.PrefixFor, StringComparer.Ordinal);
        if (options.Value.ExportNpgsqlMeter)
        {
            prefixes[NpgsqlMeter] = "npgsql_";
        }

        if (prefixes.Count > 0)
        {
            // Npgsql names each pool (one per tenant database and generation): summing over it keeps the series per silo fixed.
            _bridge = new AggregatingMeterBridge(metrics.Registry, prefixes, tag => tag.EndsWith("pool.name", StringComparison.Ordinal), LatencyBuckets.ForQueries(tiers.Value));
        }

        return Task.CompletedTask;
    }

    /// <inheritdoc />
    public Task StopAsync(CancellationToken cancellationToken)
    {
        Dispose();
        return Task.CompletedTask;
    }

    /// <inheritdoc />
    public void Dispose()
    {
        _bridge?.Dispose();
        _bridge = null;
    }
}
