using Conduit.Bench.Measurement;
using Conduit.Bench.Reporting;

namespace Conduit.Bench.Scenarios;

/// <summary>
/// The side-by-side measurement shared by the driver-comparison scenarios: every mode at every
/// concurrency, one after another in the same run, each figure a ratio to the first mode (the direct driver).
/// </summary>
internal static class ThroughputComparison
{
    /// <summary>
    /// Runs every cell and returns the stats by concurrency and mode. Each cell's time is split into
    /// <paramref name="rounds"/> rounds that alternate between the modes, so a change in the machine's
    /// load during the run falls on every mode alike; the first round of each mode starts with a warm-up.
    /// </summary>
    public static async Task<Dictionary<(int Concurrency, string Mode), LatencyStats>> RunAsync(
        BenchContext context, IReadOnlyList<int> concurrencies, IReadOnlyList<ComparisonMode> modes, TimeSpan warmup, TimeSpan measure, CancellationToken cancellationToken, int rounds = 1)
    {
        ArgumentNullException.ThrowIfNull(context);
        var results = new Dictionary<(int, string), LatencyStats>();
        var progress = context.Task($"{concurrencies.Count * modes.Count} cells of {measure.TotalSeconds:0.#} s in {rounds} rounds", concurrencies.Count * modes.Count * rounds);
        var slice = measure / rounds;
        foreach (var concurrency in concurrencies)
        {
            var recorders = modes.ToDictionary(m => m.Name, _ => (Recorder: new LatencyRecorder(), Seconds: 0.0), StringComparer.Ordinal);
            for (var round = 0; round < rounds; round++)
            {
                foreach (var mode in modes)
                {
                    progress.Description = $"c={concurrency} {mode.Name} (round {round + 1} of {rounds})";
                    if (round == 0)
                    {
                        await LoadRunner.RunAsync(concurrency, warmup, mode.Operation, cancellationToken: cancellationToken).ConfigureAwait(false);
                    }

                    var (recorder, seconds) = await LoadRunner.RecordAsync(concurrency, slice, mode.Operation, cancellationToken: cancellationToken).ConfigureAwait(false);
                    var total = recorders[mode.Name];
                    total.Recorder.Add(recorder);
                    recorders[mode.Name] = (total.Recorder, total.Seconds + seconds);
                    progress.Increment(1);
                }
            }

            foreach (var mode in modes)
            {
                var (recorder, seconds) = recorders[mode.Name];
                results[(concurrency, mode.Name)] = recorder.Summarize(seconds);
            }
        }

        progress.StopTask();
        return results;
    }

    /// <summary>Adds the comparison table (ratios to the first mode) to <paramref name="report"/>.</summary>
    /// <remarks>
    /// With a <paramref name="unit"/> of more than one command per operation (a pipelined batch) the throughput
    /// header names the unit and a <c>commandsPerSecond</c> column follows it; latencies are per operation.
    /// </remarks>
    public static ReportTable AddTable(ScenarioReport report, string name, string caption, IReadOnlyDictionary<(int Concurrency, string Mode), LatencyStats> results, IReadOnlyList<int> concurrencies, IReadOnlyList<string> modes, OperationUnit? unit = null)
    {
        ArgumentNullException.ThrowIfNull(report);
        ArgumentNullException.ThrowIfNull(results);
        unit ??= OperationUnit.Operation;
        var perCommand = unit.CommandsPerOperation > 1;
        var baselineName = modes[0];
        var columns = new List<ReportColumn>
        {
            new("concurrency", "Concurrency", ColumnKind.Count),
            new("path", "Path", ColumnKind.Text),
            new("opsPerSecond", $"{unit.Header}/s", ColumnKind.Rate),
        };
        if (perCommand)
        {
            columns.Add(new("commandsPerSecond", "Commands/s", ColumnKind.Rate));
        }

        columns.AddRange(
        [
            new("throughputRatio", $"{unit.Header}/s × {baselineName}", ColumnKind.Ratio),
            new("p50Ms", "p50 ms", ColumnKind.Milliseconds),
            new("p50Ratio", $"p50 × {baselineName}", ColumnKind.Ratio),
            new("p99Ms", "p99 ms", ColumnKind.Milliseconds),
            new("p99Ratio", $"p99 × {baselineName}", ColumnKind.Ratio),
            new("addedP99Ms", "Added p99 ms", ColumnKind.Milliseconds),
            new("operations", perCommand ? unit.Header : "Operations", ColumnKind.Count),
            new("errors", "Errors", ColumnKind.Count),
        ]);
        var table = report.AddTable(name, caption, [.. columns]);
        foreach (var concurrency in concurrencies)
        {
            var baseline = results[(concurrency, baselineName)];
            foreach (var mode in modes)
            {
                var stats = results[(concurrency, mode)];
                var values = new List<object?> { concurrency, mode, stats.Throughput };
                if (perCommand)
                {
                    values.Add(stats.Throughput * unit.CommandsPerOperation);
                }

                values.AddRange(
                [
                    Ratio(stats.Throughput, baseline.Throughput),
                    stats.P50Ms,
                    Ratio(stats.P50Ms, baseline.P50Ms),
                    stats.P99Ms,
                    Ratio(stats.P99Ms, baseline.P99Ms),
                    stats.P99Ms - baseline.P99Ms,
                    stats.Operations,
                    stats.Errors,
                ]);
                table.Add([.. values]);
                if (stats.Errors > 0 && stats.FirstError is { } error)
                {
                    report.Notes.Add($"c={concurrency} {mode}: {stats.Errors} errors, first: {error}");
                }
            }
        }

        return table;
    }

    /// <summary>Adds throughput, throughput-ratio and p99 charts.</summary>
    public static void AddCharts(ScenarioReport report, string what, IReadOnlyDictionary<(int Concurrency, string Mode), LatencyStats> results, IReadOnlyList<int> concurrencies, IReadOnlyList<string> modes, double? ratioGoal, OperationUnit? unit = null)
    {
        ArgumentNullException.ThrowIfNull(report);
        ArgumentNullException.ThrowIfNull(results);
        unit ??= OperationUnit.Operation;
        var perSecond = $"{unit.Header.ToLowerInvariant()}/s";
        var categories = concurrencies.Select(c => $"c={c}").ToArray();
        report.Charts.Add(new ChartSpec(
            "throughput",
            $"{what}: {unit.Plural} per second",
            perSecond,
            categories,
            [.. modes.Select(m => (m, (IReadOnlyList<double>)concurrencies.Select(c => results[(c, m)].Throughput).ToArray()))]));
        report.Charts.Add(new ChartSpec(
            "ratio",
            $"{what}: throughput as a share of {modes[0]}",
            $"{perSecond} ÷ {modes[0]}",
            categories,
            [.. modes.Skip(1).Select(m => (m, (IReadOnlyList<double>)concurrencies.Select(c => Ratio(results[(c, m)].Throughput, results[(c, modes[0])].Throughput)).ToArray()))],
            ratioGoal is { } goal ? (goal, $"goal ≥ {goal:0.00}") : null));
        report.Charts.Add(new ChartSpec(
            "p99",
            $"{what}: p99 latency",
            "ms",
            categories,
            [.. modes.Select(m => (m, (IReadOnlyList<double>)concurrencies.Select(c => results[(c, m)].P99Ms).ToArray()))]));
    }

    /// <summary><paramref name="value"/> ÷ <paramref name="baseline"/>, or NaN when the baseline is 0.</summary>
    public static double Ratio(double value, double baseline) => baseline > 0 ? value / baseline : double.NaN;
}
