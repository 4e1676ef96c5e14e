using System.Diagnostics.Metrics;
using Prometheus;

namespace Conduit.Silo.Metrics;

/// <summary>One instrument of an <see cref="AggregatingMeterBridge"/>: its Prometheus family and running sums.</summary>
internal sealed class MeterInstrumentExport
{
    private readonly InstrumentKind _kind;
    private readonly string[] _labelNames;
    private readonly Counter? _counter;
    private readonly Gauge? _gauge;
    private readonly Histogram? _histogram;
    private readonly GaugePublisher? _observed;
    private readonly Lock _gate = new();
    private readonly Dictionary<string, (string[] Labels, double Value)> _totals = new(StringComparer.Ordinal);
    private readonly Dictionary<string, double> _lastPerSeries = new(StringComparer.Ordinal);
    private readonly HashSet<string> _seen = new(StringComparer.Ordinal);
    private readonly double _scale;

    public MeterInstrumentExport(Instrument instrument, string[] tagKeys, IMetricFactory factory, string prefix, double[]? buckets)
    {
        _labelNames = tagKeys;
        _scale = instrument.Unit == "ms" ? 0.001 : 1;
        var generic = instrument.GetType().IsGenericType ? instrument.GetType().GetGenericTypeDefinition() : instrument.GetType();
        _kind = generic == typeof(Counter<>) ? InstrumentKind.Counter
            : generic == typeof(ObservableCounter<>) ? InstrumentKind.ObservableCounter
            : generic == typeof(Histogram<>) ? InstrumentKind.Histogram
            : generic == typeof(UpDownCounter<>) ? InstrumentKind.UpDownCounter
            : instrument.IsObservable ? InstrumentKind.ObservableGauge
            : InstrumentKind.UpDownCounter;
        var counter = _kind is InstrumentKind.Counter or InstrumentKind.ObservableCounter;
        var name = AggregatingMeterBridge.MetricName(prefix, instrument.Name, instrument.Unit, counter);
        var help = string.IsNullOrWhiteSpace(instrument.Description) ? $"{instrument.Meter.Name} {instrument.Name}" : instrument.Description;
        var labels = tagKeys.Select(k => AggregatingMeterBridge.MetricName(string.Empty, k, null, counter: false)).ToArray();
        try
        {
            switch (_kind)
            {
                case InstrumentKind.Counter or InstrumentKind.ObservableCounter:
                    _counter = factory.CreateCounter(name, help, labels);
                    break;
                case InstrumentKind.Histogram:
                    _histogram = factory.CreateHistogram(name, help, new HistogramConfiguration { LabelNames = labels, Buckets = buckets });
                    break;
                case InstrumentKind.ObservableGauge:
                    _gauge = factory.CreateGauge(name, help, labels);
                    _observed = new GaugePublisher(_gauge);
                    break;
                default:
                    _gauge = factory.CreateGauge(name, help, labels);
                    break;
            }
        }
        catch (InvalidOperationException)
        {
            // Another instrument already owns this name with other labels: this one is not exported.
        }
    }

    private enum InstrumentKind
    {
        Counter,
        UpDownCounter,
        ObservableCounter,
        ObservableGauge,
        Histogram,
    }

    /// <summary>Records one measurement; tags that are not labels of this family (the dropped ones) are ignored.</summary>
    public void Record(ReadOnlySpan<KeyValuePair<string, object?>> tags, double value)
    {
        value *= _scale;
        var labels = _labelNames.Length == 0 ? Array.Empty<string>() : new string[_labelNames.Length];
        if (labels.Length > 0)
        {
            Array.Fill(labels, string.Empty);
            foreach (var tag in tags)
            {
                var index = Array.IndexOf(_labelNames, tag.Key);
                if (index >= 0)
                {
                    labels[index] = AggregatingMeterBridge.LabelValue(tag.Value);
                }
            }
        }

        if (_histogram is not null)
        {
            (labels.Length == 0 ? (IHistogram)_histogram : _histogram.WithLabels(labels)).Observe(value);
            return;
        }

        var key = string.Join('\u001f', labels);
        lock (_gate)
        {
            switch (_kind)
            {
                case InstrumentKind.ObservableCounter:
                    // Differenced per full tag set (dropped tags included), so a pool that goes away keeps its counts.
                    var seriesKey = SeriesKey(tags);
                    var last = _lastPerSeries.GetValueOrDefault(seriesKey);
                    Add(key, labels, value >= last ? value - last : value);
                    _lastPerSeries[seriesKey] = value;
                    _seen.Add(seriesKey);
                    break;
                case InstrumentKind.ObservableGauge:
                    _observed?.Add(value, labels);
                    break;
                default:
                    Add(key, labels, value);
                    break;
            }
        }
    }

    /// <summary>Starts a scrape: observable values are reported afresh.</summary>
    public void BeginCollect()
    {
        lock (_gate)
        {
            _seen.Clear();
        }
    }

    /// <summary>Writes the sums into the Prometheus family.</summary>
    public void Publish()
    {
        lock (_gate)
        {
            if (_observed is not null)
            {
                _observed.Publish();
                return;
            }

            foreach (var (labels, value) in _totals.Values)
            {
                if (_counter is not null)
                {
                    (labels.Length == 0 ? (ICounter)_counter : _counter.WithLabels(labels)).IncTo(value);
                }
                else if (_gauge is not null)
                {
                    (labels.Length == 0 ? (IGauge)_gauge : _gauge.WithLabels(labels)).Set(value);
                }
            }

            if (_kind == InstrumentKind.ObservableCounter)
            {
                // A pool that reported nothing this time is gone: forget its last value, keep its counts.
                foreach (var key in _lastPerSeries.Keys.Where(k => !_seen.Contains(k)).ToList())
                {
                    _lastPerSeries.Remove(key);
                }
            }
        }
    }

    private static string SeriesKey(ReadOnlySpan<KeyValuePair<string, object?>> tags)
    {
        var parts = new List<string>(tags.Length);
        foreach (var tag in tags)
        {
            parts.Add(tag.Key + "=" + AggregatingMeterBridge.LabelValue(tag.Value));
        }

        parts.Sort(StringComparer.Ordinal);
        return string.Join('\u001f', parts);
    }

    private void Add(string key, string[] labels, double delta) =>
        _totals[key] = _totals.TryGetValue(key, out var existing) ? (existing.Labels, existing.Value + delta) : (labels, delta);
}
