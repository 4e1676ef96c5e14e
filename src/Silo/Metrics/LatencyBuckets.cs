using Conduit.Options;

namespace Conduit.Silo.Metrics;

/// <summary>Histogram buckets for database latencies: from half a millisecond up to the largest configured timeout.</summary>
public static class LatencyBuckets
{
    private static readonly double[] Base =
    [
        0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60,
    ];

    /// <summary>The base buckets (seconds) extended so the last bucket is at least <paramref name="largest"/>.</summary>
    public static double[] UpTo(TimeSpan largest)
    {
        var seconds = largest.TotalSeconds;
        var buckets = new List<double>(Base);
        var last = buckets[^1];
        while (last < seconds)
        {
            // Doubling keeps the count small even for an hour-long timeout (60 → 3840 s in 6 steps).
            last = Math.Min(last * 2, seconds);
            buckets.Add(last);
        }

        return [.. buckets];
    }

    /// <summary>Buckets for query durations: up to the longest query timeout of any tier.</summary>
    public static double[] ForQueries(TierOptions tiers)
    {
        ArgumentNullException.ThrowIfNull(tiers);
        return UpTo(Model.Tiers.All.Max(t => tiers.For(t).QueryTimeout));
    }

    /// <summary>Buckets for permit waits: up to the longest acquire timeout of any tier.</summary>
    public static double[] ForAcquire(TierOptions tiers)
    {
        ArgumentNullException.ThrowIfNull(tiers);
        return UpTo(Model.Tiers.All.Max(t => tiers.For(t).AcquireTimeout));
    }
}
