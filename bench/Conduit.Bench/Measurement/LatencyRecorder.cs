using System.Diagnostics;
using HdrHistogram;

namespace Conduit.Bench.Measurement;

/// <summary>One HdrHistogram of latencies in <see cref="Stopwatch"/> ticks (up to two minutes, three significant digits).</summary>
internal sealed class LatencyRecorder
{
    private long _errors;
    private string? _firstError;

    /// <summary>The histogram.</summary>
    public LongHistogram Histogram { get; } = new(1, Stopwatch.Frequency * 120, 3);

    /// <summary>Failed operations.</summary>
    public long Errors => _errors;

    /// <summary>The first failure's description.</summary>
    public string? FirstError => _firstError;

    /// <summary>Records one successful operation that started at <paramref name="startTimestamp"/>.</summary>
    public void Record(long startTimestamp) => Histogram.RecordValue(Math.Max(1, Stopwatch.GetTimestamp() - startTimestamp));

    /// <summary>Records one elapsed duration.</summary>
    public void RecordElapsed(TimeSpan elapsed) => Histogram.RecordValue(Math.Max(1, (long)(elapsed.TotalSeconds * Stopwatch.Frequency)));

    /// <summary>Counts one failed operation.</summary>
    public void Fail(Exception error)
    {
        ArgumentNullException.ThrowIfNull(error);
        Interlocked.Increment(ref _errors);
        Interlocked.CompareExchange(ref _firstError, $"{error.GetType().Name}: {error.Message}", null);
    }

    /// <summary>Adds another recorder's values.</summary>
    public void Add(LatencyRecorder other)
    {
        ArgumentNullException.ThrowIfNull(other);
        Histogram.Add(other.Histogram);
        _errors += other._errors;
        _firstError ??= other._firstError;
    }

    /// <summary>The summary, with throughput over <paramref name="elapsedSeconds"/>.</summary>
    public LatencyStats Summarize(double elapsedSeconds) => LatencyStats.From(Histogram, _errors, elapsedSeconds, _firstError);
}
