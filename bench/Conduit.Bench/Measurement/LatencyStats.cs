using System.Diagnostics;
using HdrHistogram;

namespace Conduit.Bench.Measurement;

/// <summary>What one measured run produced: operations, errors, throughput and latency percentiles.</summary>
internal sealed record LatencyStats(
    long Operations,
    long Errors,
    double ElapsedSeconds,
    double P50Ms,
    double P90Ms,
    double P99Ms,
    double P999Ms,
    double MaxMs,
    double MeanMs,
    string? FirstError)
{
    /// <summary>Successful operations per second.</summary>
    public double Throughput => ElapsedSeconds > 0 ? Operations / ElapsedSeconds : 0;

    /// <summary>Summarizes a histogram recorded in <see cref="Stopwatch"/> ticks.</summary>
    public static LatencyStats From(HistogramBase histogram, long errors, double elapsedSeconds, string? firstError)
    {
        ArgumentNullException.ThrowIfNull(histogram);
        if (histogram.TotalCount == 0)
        {
            return new LatencyStats(0, errors, elapsedSeconds, 0, 0, 0, 0, 0, 0, firstError);
        }

        return new LatencyStats(
            histogram.TotalCount,
            errors,
            elapsedSeconds,
            Ms(histogram.GetValueAtPercentile(50)),
            Ms(histogram.GetValueAtPercentile(90)),
            Ms(histogram.GetValueAtPercentile(99)),
            Ms(histogram.GetValueAtPercentile(99.9)),
            Ms(histogram.GetMaxValue()),
            histogram.GetMean() * 1000.0 / Stopwatch.Frequency,
            firstError);
    }

    private static double Ms(long ticks) => ticks * 1000.0 / Stopwatch.Frequency;
}
