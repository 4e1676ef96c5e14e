using System.Diagnostics.Metrics;
using Conduit.Silo.Metrics;
using Prometheus;

namespace Conduit.Tests.Observability;

/// <summary>The meter bridge sums over a dropped tag and keeps counters monotonic when a tag value goes away.</summary>
public sealed class AggregatingMeterBridgeTests
{
    [Fact]
    public async Task Bridge_ObservablesFromTwoPools_SummedWithoutPoolLabelAndCountersKeptWhenPoolGoes()
    {
        using var meter = new Meter("Conduit.Tests.Bridge." + Guid.NewGuid().ToString("N"));
        var pools = new Dictionary<string, (int Used, long Timeouts)> { ["p1/a"] = (2, 3), ["p2/b"] = (5, 4) };
        meter.CreateObservableUpDownCounter("db.client.connection.count", () => pools.Select(p => new Measurement<int>(p.Value.Used, new("db.client.connection.pool.name", p.Key), new("db.client.connection.state", "used"))), "{connection}", "Connections by state.");
        meter.CreateObservableCounter("db.client.connection.timeouts", () => pools.Select(p => new Measurement<long>(p.Value.Timeouts, new KeyValuePair<string, object?>("db.client.connection.pool.name", p.Key))), "{timeout}", "Timeouts.");
        var created = meter.CreateHistogram<double>("db.client.connection.create_time", "s", "Time to create a connection.");
        var registry = Prometheus.Metrics.NewCustomRegistry();
        using var bridge = new AggregatingMeterBridge(registry, new Dictionary<string, string> { [meter.Name] = "npgsql_" }, tag => tag.EndsWith("pool.name", StringComparison.Ordinal), LatencyBuckets.UpTo(TimeSpan.FromSeconds(10)));
        created.Record(0.002, new KeyValuePair<string, object?>("db.client.connection.pool.name", "p1/a"));
        created.Record(0.004, new KeyValuePair<string, object?>("db.client.connection.pool.name", "p2/b"));

        var first = await ExportAsync(registry);
        pools.Remove("p1/a");
        pools["p2/b"] = (1, 6);
        var second = await ExportAsync(registry);

        Assert.Equal(7, MetricsText.Value(first, "npgsql_db_client_connection_count_current", "db_client_connection_state=\"used\""));
        Assert.Equal(7, MetricsText.Value(first, "npgsql_db_client_connection_timeouts_total"));
        Assert.Equal(2, MetricsText.Value(first, "npgsql_db_client_connection_create_time_seconds_count"));
        Assert.Equal(1, MetricsText.Value(second, "npgsql_db_client_connection_count_current", "db_client_connection_state=\"used\""));
        Assert.Equal(9, MetricsText.Value(second, "npgsql_db_client_connection_timeouts_total"));
        Assert.DoesNotContain("pool_name", first + second, StringComparison.Ordinal);
        await PromTool.AssertValidExpositionAsync(second);
    }

    [Theory]
    [InlineData("db.client.connection.create_time", "s", false, "npgsql_db_client_connection_create_time_seconds")]
    [InlineData("db.client.connection.timeouts", "{timeout}", true, "npgsql_db_client_connection_timeouts_total")]
    [InlineData("db.client.commands.bytes_read", "By", true, "npgsql_db_client_commands_bytes_read_bytes_total")]
    [InlineData("db.client.connection.count", "{connection}", false, "npgsql_db_client_connection_count_current")]
    [InlineData("orleans-catalog-activation-latency", "ms", false, "microsoft_orleans_orleans_catalog_activation_latency_seconds")]
    public void MetricName_InstrumentAndUnit_PrometheusName(string instrument, string unit, bool counter, string expected) =>
        Assert.Equal(expected, AggregatingMeterBridge.MetricName(instrument.StartsWith("orleans", StringComparison.Ordinal) ? AggregatingMeterBridge.PrefixFor("Microsoft.Orleans") : "npgsql_", instrument, unit, counter));

    [Fact]
    public void LatencyBuckets_DefaultTiers_FromHalfAMillisecondToTheLongestQueryTimeout()
    {
        var buckets = LatencyBuckets.ForQueries(new Conduit.Options.TierOptions());

        Assert.Equal(0.0005, buckets[0]);
        Assert.Equal(Conduit.Options.TierDefaults.Enterprise.QueryTimeout.TotalSeconds, buckets[^1]);
        Assert.Equal(buckets.Order(), buckets);
        Assert.Equal(1920, LatencyBuckets.UpTo(TimeSpan.FromHours(1))[^2]);
        Assert.Equal(3600, LatencyBuckets.UpTo(TimeSpan.FromHours(1))[^1]);
    }

    private static async Task<string> ExportAsync(CollectorRegistry registry)
    {
        using var stream = new MemoryStream();
        await registry.CollectAndExportAsTextAsync(stream);
        return System.Text.Encoding.UTF8.GetString(stream.ToArray());
    }
}
