using Conduit.Bench.Infrastructure;
using Conduit.Bench.Reporting;
using Conduit.Bench.Scenarios;
using Spectre.Console;

namespace Conduit.Bench.Cli;

/// <summary>Runs the scenarios named on the command line and writes their reports.</summary>
internal static class BenchCommand
{
    /// <summary>The program: returns 0 on success, 1 when a scenario failed, 2 on a usage error.</summary>
    public static async Task<int> RunAsync(string[] args)
    {
        BenchOptions options;
        try
        {
            options = BenchOptions.Parse(args);
        }
        catch (ArgumentException e)
        {
            await Console.Error.WriteLineAsync($"{e.Message}\n\n{Usage()}").ConfigureAwait(false);
            return 2;
        }

        if (options.Scenario is "list")
        {
            Console.WriteLine(Usage());
            return 0;
        }

        if (options.Scenario is "docs")
        {
            var reports = Path.GetFullPath(options.OutputDirectory ?? Path.Combine(BuildInfo.RepositoryRoot, "docs", "benchmarks"));
            var document = Path.Combine(BuildInfo.RepositoryRoot, "docs", "BENCHMARKS.md");
            var count = await BenchmarksDocument.WriteAsync(document, reports, [.. ScenarioCatalog.All.Select(s => s.Name)]).ConfigureAwait(false);
            BenchConsole.Info($"{document}: benchmark section rebuilt from {count} reports in {reports}");
            return 0;
        }

        var scenarios = options.Scenario is "all" ? ScenarioCatalog.All : ScenarioCatalog.Find(options.Scenario) is { } one ? [one] : null;
        if (scenarios is null)
        {
            await Console.Error.WriteLineAsync($"Unknown scenario '{options.Scenario}'.\n\n{Usage()}").ConfigureAwait(false);
            return 2;
        }

        using var cancel = new CancellationTokenSource();
        Console.CancelKeyPress += (_, e) =>
        {
            e.Cancel = true;
            cancel.Cancel();
        };

        var run = await RunInfo.CollectAsync(args, options.Quick).ConfigureAwait(false);
        var output = Path.GetFullPath(options.OutputDirectory ?? Path.Combine(BuildInfo.RepositoryRoot, "docs", "benchmarks", options.Quick ? "quick" : string.Empty));
        BenchConsole.Info($"machine: {run.MachineLine}");
        BenchConsole.Info($"commit {run.Commit}, {run.Configuration} build, results into {output}");
        if (!string.Equals(run.Configuration, "Release", StringComparison.Ordinal) && !options.Quick)
        {
            BenchConsole.Warn("this is not a Release build: numbers are not representative (use dotnet run -c Release)");
        }

        var failed = 0;
        await using var context = new BenchContext(options, run, scenarios.Max(s => s.PostgresConnectionsNeeded(options)));
        foreach (var scenario in scenarios)
        {
            BenchConsole.Info($"scenario {scenario.Name}: {scenario.Summary}{(options.Quick ? " (quick)" : string.Empty)}");
            var loadBefore = LoadAverage();
            try
            {
                var report = await AnsiConsole.Progress()
                    .AutoClear(false)
                    .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new ElapsedTimeColumn())
                    .StartAsync(async progress =>
                    {
                        context.Progress = progress;
                        try
                        {
                            return await scenario.RunAsync(context, cancel.Token).ConfigureAwait(false);
                        }
                        finally
                        {
                            context.Progress = null;
                        }
                    }).ConfigureAwait(false);
                report.Settings["Machine load average (1 min) at start / end"] = $"{loadBefore} / {LoadAverage()} on {run.Cores} cores (other work on the machine shows here)";
                var files = await ReportWriter.WriteAsync(report, run, output).ConfigureAwait(false);
                AnsiConsole.Write(new Text(await File.ReadAllTextAsync(files[0]).ConfigureAwait(false) + "\n"));
                BenchConsole.Info($"wrote {string.Join(", ", files.Select(Path.GetFileName))}");
            }
            catch (Exception e) when (e is not OperationCanceledException || !cancel.IsCancellationRequested)
            {
                failed++;
                BenchConsole.Warn($"scenario {scenario.Name} failed: {e}");
            }
        }

        return failed == 0 ? 0 : 1;
    }

    private static string LoadAverage() =>
        File.Exists("/proc/loadavg") ? File.ReadAllText("/proc/loadavg").Split(' ')[0] : "n/a";

    private static string Usage() =>
        "usage: dotnet run -c Release --project bench/Conduit.Bench -- <scenario|all|list|docs> [--quick] [--projects N] [--frontends N] [--tenants N,N] [--duration SECONDS] [--redis-in-flight N] [--out DIR]\n\nscenarios:\n"
        + string.Join('\n', ScenarioCatalog.All.Select(s => $"  {s.Name,-12} {s.Summary}"))
        + "\n  all          every scenario above, in this order\n  docs         rebuild the benchmark section of docs/BENCHMARKS.md from the reports in docs/benchmarks (or --out)";
}
