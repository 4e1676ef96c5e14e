using System.Diagnostics;

namespace Conduit.Bench.Measurement;

/// <summary>
/// Closed-loop load: <c>concurrency</c> workers each run one operation after another for a fixed time
/// (or, with a rate, paced so the workers together start that many operations per second).
/// </summary>
internal static class LoadRunner
{
    /// <summary>Runs <paramref name="operation"/> (given the worker index) and returns the merged latencies.</summary>
    public static async Task<LatencyStats> RunAsync(int concurrency, TimeSpan duration, Func<int, ValueTask> operation, double? ratePerSecond = null, CancellationToken cancellationToken = default)
    {
        var (recorder, elapsed) = await RecordAsync(concurrency, duration, operation, ratePerSecond, cancellationToken).ConfigureAwait(false);
        return recorder.Summarize(elapsed);
    }

    /// <summary>Like <see cref="RunAsync"/>, but returns the recorder (to merge with other rounds) and the elapsed seconds.</summary>
    public static async Task<(LatencyRecorder Recorder, double ElapsedSeconds)> RecordAsync(int concurrency, TimeSpan duration, Func<int, ValueTask> operation, double? ratePerSecond = null, CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(concurrency, 1);
        var recorders = new LatencyRecorder[concurrency];
        var started = Stopwatch.GetTimestamp();
        var deadline = started + (long)(duration.TotalSeconds * Stopwatch.Frequency);
        var interval = ratePerSecond is { } rate && rate > 0 ? concurrency / rate : 0;
        var workers = new Task[concurrency];
        for (var w = 0; w < concurrency; w++)
        {
            var worker = w;
            var recorder = recorders[w] = new LatencyRecorder();
            workers[w] = Task.Run(async () =>
            {
                // Spread paced workers over one interval so they do not fire together.
                var next = started + (long)(interval * Stopwatch.Frequency * worker / concurrency);
                while (!cancellationToken.IsCancellationRequested)
                {
                    if (interval > 0)
                    {
                        var wait = next - Stopwatch.GetTimestamp();
                        if (wait > 0)
                        {
                            await Task.Delay(TimeSpan.FromSeconds((double)wait / Stopwatch.Frequency), cancellationToken).ConfigureAwait(false);
                        }

                        next += (long)(interval * Stopwatch.Frequency);
                    }

                    var start = Stopwatch.GetTimestamp();
                    if (start >= deadline)
                    {
                        return;
                    }

                    try
                    {
                        await operation(worker).ConfigureAwait(false);
                        recorder.Record(start);
                    }
                    catch (Exception e) when (e is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
                    {
                        recorder.Fail(e);
                    }
                }
            }, cancellationToken);
        }

        try
        {
            await Task.WhenAll(workers).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
        }

        var elapsed = Stopwatch.GetElapsedTime(started).TotalSeconds;
        var total = new LatencyRecorder();
        foreach (var recorder in recorders)
        {
            total.Add(recorder);
        }

        return (total, elapsed);
    }
}
