using Conduit.Bench.Infrastructure;
using Conduit.Bench.Measurement;
using Conduit.Bench.Reporting;
using Conduit.Errors;
using Conduit.Model;
using Conduit.Projects;

namespace Conduit.Bench.Scenarios;

/// <summary>
/// <c>fail-fast</c>: one tenant's PostgreSQL is blackholed behind a loopback fault proxy. Once its
/// breaker is open, its calls should be refused at once, and a healthy tenant on the same silo should
/// not notice.
/// </summary>
internal sealed class FailFastScenario : IScenario
{
    private const string Sql = $"SELECT id, name, balance FROM {BenchContext.PointTable} WHERE id = $1";
    private const string Healthy = "ff-healthy";
    private const string Sick = "ff-sick";

    public string Name => "fail-fast";

    public string Summary => "one tenant's database blackholed: rejection latency with the breaker open, a healthy tenant's p99 beside it";

    public async Task<ScenarioReport> RunAsync(BenchContext context, CancellationToken cancellationToken)
    {
        var setup = context.Task("fail-fast: silo, tenants, fault proxy");
        var database = await context.PointDatabaseAsync().ConfigureAwait(false);
        var postgres = await context.PostgresAsync().ConfigureAwait(false);
        await using var proxy = FaultProxy.Start(postgres.Port);
        var settings = new Dictionary<string, string>
        {
            // The sick tenant's tier times out after 1 s so the breaker sees failures quickly; it then stays
            // open for the whole measurement.
            ["Conduit__Tiers__Starter__QueryTimeout"] = "00:00:01",
            ["Conduit__DataPlane__ConnectTimeout"] = "00:00:01",
            ["Conduit__CircuitBreaker__PostgreSql__BreakDuration"] = "00:10:00",
            ["Conduit__CircuitBreaker__PostgreSql__MinimumThroughput"] = "5",
            ["Conduit__CircuitBreaker__PostgreSql__FailureRatio"] = "0.5",
        };
        await using var silo = await context.StartSiloAsync(Name, settings).ConfigureAwait(false);
        await using var frontend = await BenchContext.ConnectAsync(silo, Name).ConfigureAwait(false);
        await silo.CreateProjectAsync(Healthy, "PRO").ConfigureAwait(false);
        await silo.AddDatabaseAsync(Healthy, "postgresql", database).ConfigureAwait(false);
        await silo.CreateProjectAsync(Sick, "STARTER").ConfigureAwait(false);
        await silo.AddDatabaseAsync(Sick, "postgresql", postgres.ConnectionString(BenchContext.PointDatabase, proxy.Port)).ConfigureAwait(false);
        var healthy = frontend.Conduit.Project(Healthy).Postgres;
        var sick = frontend.Conduit.Project(Sick).Postgres;
        await healthy.QueryAsync(Sql, 1).ConfigureAwait(false);
        await sick.QueryAsync(Sql, 1).ConfigureAwait(false);
        setup.Increment(1);
        setup.StopTask();

        var concurrency = 16;
        var rate = context.Quick ? 400.0 : 1000.0;
        var measure = context.Measure(full: 20, quick: 1);
        var random = Enumerable.Range(0, concurrency * 2).Select(i => new Random(3000 + i)).ToArray();
        ValueTask HealthyCall(int w) => new(healthy.QueryAsync(Sql, random[w].Next(1, BenchContext.PointRows + 1)));

        var progress = context.Task("fail-fast: healthy alone, trip the breaker, both side by side", 3);
        await LoadRunner.RunAsync(concurrency, context.Warmup(), HealthyCall, rate, cancellationToken).ConfigureAwait(false);
        var alone = await LoadRunner.RunAsync(concurrency, measure, HealthyCall, rate, cancellationToken).ConfigureAwait(false);
        progress.Increment(1);

        proxy.Blackhole();
        var tripped = await TripAsync(frontend, sick, TimeSpan.FromSeconds(60), cancellationToken).ConfigureAwait(false);
        progress.Increment(1);

        var unexpected = 0L;
        async ValueTask SickCall(int w)
        {
            try
            {
                await sick.QueryAsync(Sql, random[concurrency + w].Next(1, BenchContext.PointRows + 1)).ConfigureAwait(false);
            }
            catch (ConduitException e) when (e.Code == ErrorCodes.CircuitOpen)
            {
                return;
            }

            Interlocked.Increment(ref unexpected);
            throw new InvalidOperationException("A call to the blackholed tenant succeeded.");
        }

        var besideTask = LoadRunner.RunAsync(concurrency, measure, HealthyCall, rate, cancellationToken);
        var rejectedTask = LoadRunner.RunAsync(concurrency, measure, SickCall, rate, cancellationToken);
        var beside = await besideTask.ConfigureAwait(false);
        var rejected = await rejectedTask.ConfigureAwait(false);
        progress.Increment(1);
        progress.StopTask();

        var report = new ScenarioReport(
            Name,
            "Fail fast: one tenant's database blackholed",
            "Two tenants on one silo: **healthy** (PRO) reads the 100k-row table directly; **sick** (STARTER, 1 s query timeout) reaches the same database "
            + "through a loopback fault proxy. Both are driven from this frontend process at a fixed rate "
            + $"({rate:N0} calls/s each, {concurrency} workers). First the healthy tenant runs alone; then the proxy blackholes the sick tenant's database "
            + "(connections stay open, no byte passes), the sick tenant is called until its breaker opens, and both run side by side: the sick tenant's calls "
            + "are refused with CIRCUIT_OPEN (their latency is the rejection latency), the healthy tenant's p99 is compared with its p99 alone.");
        var table = report.AddTable(
            "fail-fast",
            "Latency with one tenant's breaker open",
            new ReportColumn("tenant", "Tenant", ColumnKind.Text),
            new ReportColumn("phase", "Phase", ColumnKind.Text),
            new ReportColumn("calls", "Calls", ColumnKind.Count),
            new ReportColumn("callsPerSecond", "Calls/s", ColumnKind.Rate),
            new ReportColumn("p50Ms", "p50 ms", ColumnKind.Milliseconds),
            new ReportColumn("p99Ms", "p99 ms", ColumnKind.Milliseconds),
            new ReportColumn("p99Ratio", "p99 × healthy alone", ColumnKind.Ratio),
            new ReportColumn("maxMs", "max ms", ColumnKind.Milliseconds),
            new ReportColumn("errors", "Errors", ColumnKind.Count));
        table.Add("healthy", "alone", alone.Operations, alone.Throughput, alone.P50Ms, alone.P99Ms, 1.0, alone.MaxMs, alone.Errors);
        table.Add("healthy", "beside the open breaker", beside.Operations, beside.Throughput, beside.P50Ms, beside.P99Ms, ThroughputComparison.Ratio(beside.P99Ms, alone.P99Ms), beside.MaxMs, beside.Errors);
        table.Add("sick", "rejected (CIRCUIT_OPEN)", rejected.Operations, rejected.Throughput, rejected.P50Ms, rejected.P99Ms, ThroughputComparison.Ratio(rejected.P99Ms, alone.P99Ms), rejected.MaxMs, rejected.Errors);

        var trip = report.AddTable(
            "trip",
            "Tripping the breaker",
            new ReportColumn("secondsToOpen", "Seconds from blackhole to open breaker", ColumnKind.Milliseconds),
            new ReportColumn("failedCalls", "Calls that timed out or failed before it opened", ColumnKind.Count),
            new ReportColumn("codes", "Codes seen", ColumnKind.Text));
        trip.Add(tripped.Elapsed.TotalSeconds, tripped.Failures, string.Join(", ", tripped.Codes.Order(StringComparer.Ordinal)));

        report.Charts.Add(new ChartSpec(
            "latency",
            "Healthy tenant beside a blackholed one",
            "ms",
            ["p50", "p99"],
            [
                ("healthy alone", [alone.P50Ms, alone.P99Ms]),
                ("healthy beside open breaker", [beside.P50Ms, beside.P99Ms]),
                ("sick: rejection", [rejected.P50Ms, rejected.P99Ms]),
            ]));
        report.Settings["Load"] = $"{rate:N0} calls/s per tenant, {concurrency} workers each, {measure.TotalSeconds:0.#} s per phase";
        report.Settings["Silo settings"] = SiloSettings.Describe(settings);
        context.DescribeServers(report);
        if (beside.Errors > 0 || rejected.Errors > 0)
        {
            report.Notes.Add($"Errors: healthy beside {beside.Errors} ({beside.FirstError}), sick {rejected.Errors} ({rejected.FirstError}; {unexpected} unexpected successes).");
        }

        report.Notes.Add("Latencies are measured at the frontend, so the rejection latency includes the Orleans round trip to the silo.");
        var ratio = ThroughputComparison.Ratio(beside.P99Ms, alone.P99Ms);
        report.Goals.Add(new GoalResult("Rejection p99 with the breaker open", "≤ 1 ms", $"{rejected.P99Ms:0.000} ms", context.Quick ? null : rejected.P99Ms <= 1.0));
        report.Goals.Add(new GoalResult("Healthy tenant's p99 beside it", "within 10 % of alone (≤ 1.10)", $"{ratio:0.00}", context.Quick ? null : ratio <= 1.10));
        return report;
    }

    private static async Task<(TimeSpan Elapsed, int Failures, HashSet<string> Codes)> TripAsync(ConduitFrontend frontend, Client.PostgresClient sick, TimeSpan timeout, CancellationToken cancellationToken)
    {
        var started = DateTime.UtcNow;
        var failures = 0;
        var codes = new HashSet<string>(StringComparer.Ordinal);
        var grain = frontend.Cluster.GetGrain<IProjectConnectionGrain>(Sick);
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        stop.CancelAfter(timeout);
        var callers = Enumerable.Range(0, 8).Select(async _ =>
        {
            while (!stop.IsCancellationRequested)
            {
                try
                {
                    await sick.QueryAsync("SELECT 1").ConfigureAwait(false);
                }
                catch (ConduitException e)
                {
                    lock (codes)
                    {
                        codes.Add(e.Code);
                        if (e.Code != ErrorCodes.CircuitOpen)
                        {
                            failures++;
                        }
                    }

                    if (e.Code == ErrorCodes.CircuitOpen)
                    {
                        return;
                    }
                }
            }
        }).ToArray();

        while (!stop.IsCancellationRequested)
        {
            var stats = await grain.GetStatsAsync().ConfigureAwait(false);
            if (stats.Databases.Any(d => d.Type == DatabaseType.PostgreSql && d.Breaker == BreakerState.Open))
            {
                var elapsed = DateTime.UtcNow - started;
                await stop.CancelAsync().ConfigureAwait(false);
                await Task.WhenAll(callers).ConfigureAwait(false);
                return (elapsed, failures, codes);
            }

            await Task.Delay(50, CancellationToken.None).ConfigureAwait(false);
        }

        throw new InvalidOperationException($"The sick tenant's breaker did not open within {timeout.TotalSeconds:0} s of blackholing its database (codes seen: {string.Join(", ", codes)}).");
    }
}
