using System.Collections.Concurrent;
using System.Diagnostics.Metrics;
using System.Globalization;
using Prometheus;

namespace Conduit.Silo.Metrics;

/// <summary>
/// Exports .NET meters to Prometheus, optionally with some tags dropped and the series summed over them. Npgsql tags
/// every measurement with its pool's name, one per tenant database and pool generation; exported as they are
/// (prometheus-net's MeterAdapter), those series would grow with the number of projects. Summed over pools
/// they stay a fixed, small set per silo.
/// </summary>
/// <remarks>
/// Counters stay monotonic when a pool goes away: observable counters are differenced per pool before they
/// are summed. Observable gauges and up-down counters are summed as reported at each scrape. Used instead of
/// prometheus-net's MeterAdapter, which (8.2.1 on .NET 10) published nothing into a per-silo registry here,
/// exports counters as gauges and cannot drop a tag.
/// </remarks>
public sealed class AggregatingMeterBridge : IDisposable
{
    private readonly MeterListener _listener = new();
    private readonly ConcurrentDictionary<Instrument, MeterInstrumentExport> _exports = new();
    private readonly Lock _exportsGate = new();
    private readonly Lock _collectGate = new();
    private readonly IReadOnlyDictionary<string, string> _prefixes;
    private readonly Func<string, bool> _dropTag;
    private readonly IMetricFactory _factory;
    private readonly double[] _secondsBuckets;

    /// <summary>
    /// Starts listening to the meters named in <paramref name="prefixes"/> (meter name → metric name prefix);
    /// tags for which <paramref name="dropTag"/> is true are summed away.
    /// </summary>
    public AggregatingMeterBridge(CollectorRegistry registry, IReadOnlyDictionary<string, string> prefixes, Func<string, bool> dropTag, double[] secondsBuckets)
    {
        ArgumentNullException.ThrowIfNull(registry);
        _prefixes = prefixes;
        _dropTag = dropTag;
        _secondsBuckets = secondsBuckets;
        _factory = Prometheus.Metrics.WithCustomRegistry(registry);
        _listener.InstrumentPublished = (instrument, listener) =>
        {
            if (_prefixes.ContainsKey(instrument.Meter.Name))
            {
                listener.EnableMeasurementEvents(instrument);
            }
        };
        _listener.SetMeasurementEventCallback<byte>((i, v, t, _) => Record(i, v, t));
        _listener.SetMeasurementEventCallback<short>((i, v, t, _) => Record(i, v, t));
        _listener.SetMeasurementEventCallback<int>((i, v, t, _) => Record(i, v, t));
        _listener.SetMeasurementEventCallback<long>((i, v, t, _) => Record(i, v, t));
        _listener.SetMeasurementEventCallback<float>((i, v, t, _) => Record(i, v, t));
        _listener.SetMeasurementEventCallback<double>((i, v, t, _) => Record(i, v, t));
        _listener.SetMeasurementEventCallback<decimal>((i, v, t, _) => Record(i, (double)v, t));
        _listener.Start();
        registry.AddBeforeCollectCallback(Collect);
    }

    /// <summary>
    /// The Prometheus name of an instrument: prefix, dots to underscores, the unit as a suffix (milliseconds are
    /// exported in seconds, Prometheus' base unit), <c>_total</c> on counters.
    /// </summary>
    public static string MetricName(string prefix, string instrument, string? unit, bool counter)
    {
        ArgumentNullException.ThrowIfNull(instrument);
        var chars = (prefix + instrument).Select(c => char.IsAsciiLetterOrDigit(c) ? char.ToLowerInvariant(c) : '_').ToArray();
        var name = new string(chars);
        var suffix = unit switch
        {
            "s" => "_seconds",
            "ms" => "_seconds",
            "By" => "_bytes",
            _ => string.Empty,
        };
        if (suffix.Length > 0 && !name.EndsWith(suffix, StringComparison.Ordinal))
        {
            name += suffix;
        }

        if (counter)
        {
            return name.EndsWith("_total", StringComparison.Ordinal) ? name : name + "_total";
        }

        // Prometheus reserves these suffixes for histogram and summary series (promtool rejects them on a gauge).
        return name.EndsWith("_count", StringComparison.Ordinal) || name.EndsWith("_sum", StringComparison.Ordinal) || name.EndsWith("_bucket", StringComparison.Ordinal)
            ? name + "_current"
            : name;
    }

    /// <inheritdoc />
    public void Dispose() => _listener.Dispose();

    private void Record(Instrument instrument, double value, ReadOnlySpan<KeyValuePair<string, object?>> tags)
    {
        // Histograms record on the calls' own path (Orleans times every request): no lock, no allocation for
        // an instrument without labels, one label array otherwise.
        var export = _exports.TryGetValue(instrument, out var known) ? known : ExportFor(instrument, tags);
        export.Record(tags, value);
    }

    private MeterInstrumentExport ExportFor(Instrument instrument, ReadOnlySpan<KeyValuePair<string, object?>> tags)
    {
        lock (_exportsGate)
        {
            if (_exports.TryGetValue(instrument, out var export))
            {
                return export;
            }

            var labelNames = new List<string>();
            foreach (var tag in tags)
            {
                if (!_dropTag(tag.Key))
                {
                    labelNames.Add(tag.Key);
                }
            }

            labelNames.Sort(StringComparer.Ordinal);
            export = new MeterInstrumentExport(instrument, [.. labelNames], _factory, _prefixes[instrument.Meter.Name], BucketsFor(instrument.Unit));
            _exports[instrument] = export;
            return export;
        }
    }

    private double[]? BucketsFor(string? unit) => unit is "s" or "ms" ? _secondsBuckets : null;

    private void Collect()
    {
        lock (_collectGate)
        {
            foreach (var export in _exports.Values)
            {
                export.BeginCollect();
            }

            _listener.RecordObservableInstruments();
            foreach (var export in _exports.Values)
            {
                export.Publish();
            }
        }
    }

    /// <summary>The default prefix for a meter: its name in Prometheus form and an underscore (<c>Microsoft.Orleans</c> → <c>microsoft_orleans_</c>).</summary>
    public static string PrefixFor(string meterName) => MetricName(string.Empty, meterName, null, counter: false) + "_";

    /// <summary>Formats a tag value for a label.</summary>
    internal static string LabelValue(object? value) => value switch
    {
        null => string.Empty,
        IFormattable formattable => formattable.ToString(null, CultureInfo.InvariantCulture),
        _ => value.ToString() ?? string.Empty,
    };
}
