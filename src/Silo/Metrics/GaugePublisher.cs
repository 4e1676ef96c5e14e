using Prometheus;

namespace Conduit.Silo.Metrics;

/// <summary>
/// Rebuilds one gauge family at each scrape: values added since the last <see cref="Publish"/> are set,
/// and series published before but not now are removed, so a gone project or pool leaves no stale series.
/// </summary>
/// <remarks>Not thread-safe: the owner calls it under its own lock.</remarks>
internal sealed class GaugePublisher(Gauge gauge)
{
    private Dictionary<string, string[]> _published = new(StringComparer.Ordinal);
    private readonly Dictionary<string, (string[] Labels, double Value)> _next = new(StringComparer.Ordinal);

    /// <summary>Adds <paramref name="value"/> to the series named by <paramref name="labels"/> (sums when it repeats).</summary>
    public void Add(double value, params string[] labels)
    {
        var key = string.Join('\u001f', labels);
        _next[key] = _next.TryGetValue(key, out var existing) ? (existing.Labels, existing.Value + value) : (labels, value);
    }

    /// <summary>Sets every series added since the last call and removes the ones that were not.</summary>
    public void Publish()
    {
        var published = new Dictionary<string, string[]>(_next.Count, StringComparer.Ordinal);
        foreach (var (key, (labels, value)) in _next)
        {
            gauge.WithLabels(labels).Set(value);
            published[key] = labels;
        }

        foreach (var (key, labels) in _published)
        {
            if (!published.ContainsKey(key))
            {
                gauge.RemoveLabelled(labels);
            }
        }

        _published = published;
        _next.Clear();
    }
}
