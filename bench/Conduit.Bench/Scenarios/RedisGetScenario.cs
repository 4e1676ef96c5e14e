using System.Globalization;
using Conduit.Bench.Infrastructure;
using Conduit.Bench.Reporting;
using StackExchange.Redis;

namespace Conduit.Bench.Scenarios;

/// <summary><c>redis-get</c>: GET of a 100-byte value: direct StackExchange.Redis, through twemproxy, through Conduit.</summary>
internal sealed class RedisGetScenario : IScenario
{
    /// <summary>Keys written before the run.</summary>
    public const int Keys = 1000;

    private static readonly int[] Concurrencies = [1, 16, 64];

    public string Name => "redis-get";

    public string Summary => "Redis GET: direct StackExchange.Redis vs twemproxy vs Conduit at c=1/16/64";

    /// <summary>The key of index <paramref name="i"/>.</summary>
    public static string Key(int i) => string.Create(CultureInfo.InvariantCulture, $"bench:key:{i}");

    /// <summary>Writes the keys the GET scenarios read.</summary>
    public static async Task SeedAsync(IDatabase database)
    {
        ArgumentNullException.ThrowIfNull(database);
        var value = new string('v', 100);
        var batch = database.CreateBatch();
        var writes = Enumerable.Range(0, Keys).Select(i => batch.StringSetAsync(Key(i), value)).ToArray();
        batch.Execute();
        await Task.WhenAll(writes).ConfigureAwait(false);
    }

    public async Task<ScenarioReport> RunAsync(BenchContext context, CancellationToken cancellationToken)
    {
        var setup = context.Task("redis-get: servers, silo, keys");
        var settings = SiloSettings.UnthrottledEnterprise();
        await using var paths = await RedisPaths.OpenAsync(context, Name, settings).ConfigureAwait(false);
        var project = paths.Conduit;
        var directDb = paths.Direct;
        var proxyDb = paths.ViaProxy;
        setup.Increment(1);
        setup.StopTask();

        var random = Enumerable.Range(0, 64).Select(i => new Random(2000 + i)).ToArray();
        var modes = new List<ComparisonMode>
        {
            new("direct", async w => Require(await directDb.StringGetAsync(Key(random[w].Next(Keys))).ConfigureAwait(false))),
            new("twemproxy", async w => Require(await proxyDb.StringGetAsync(Key(random[w].Next(Keys))).ConfigureAwait(false))),
            new("conduit", async w =>
            {
                if (await project.GetAsync(Key(random[w].Next(Keys))).ConfigureAwait(false) is null)
                {
                    throw new InvalidOperationException("GET returned nil for a seeded key.");
                }
            }),
        };

        var measure = context.Measure(full: 10);
        var rounds = context.Quick ? 1 : 3;
        var results = await ThroughputComparison.RunAsync(context, Concurrencies, modes, context.Warmup(), measure, cancellationToken, rounds).ConfigureAwait(false);

        var report = new ScenarioReport(
            Name,
            "Redis GET",
            $"GET of a random one of {Keys:N0} keys holding 100-byte values, issued from this frontend process by closed-loop workers three ways: "
            + "**direct** StackExchange.Redis (one multiplexer), **twemproxy** (the same driver through nutcracker on loopback), "
            + "and **conduit** (the Orleans client → the silo process → the tenant grain's multiplexer → Redis). The Conduit client pipelines concurrent commands to one project "
            + "as the direct driver pipelines them on its socket: with its defaults, at most 4 grain calls in flight per project, further GETs travelling together in one batch call of up to 100 "
            + "(`ConduitClientOptions.RedisMaxInFlightCalls`, `RedisMaxCoalescedCommands`); each GET still gets its own reply. Every figure is a ratio to direct, measured in the same run.");
        var modeNames = modes.Select(m => m.Name).ToArray();
        ThroughputComparison.AddTable(report, "results", "Throughput and latency by concurrency", results, Concurrencies, modeNames);
        ThroughputComparison.AddCharts(report, "redis-get", results, Concurrencies, modeNames, 0.50);
        report.Settings["Per cell"] = $"{context.Warmup().TotalSeconds:0.#} s warm-up, {measure.TotalSeconds:0.#} s measured in {rounds} rounds alternating between the paths";
        report.Settings["Tenant"] = "ENTERPRISE tier";
        report.Settings["Silo settings"] = SiloSettings.Describe(settings);
        report.Settings["Client Redis pipelining"] = context.Options.RedisInFlight is { } inFlight
            ? (inFlight == 0 ? "off (--redis-in-flight 0)" : $"at most {inFlight} calls in flight per project (--redis-in-flight {inFlight})")
            : "the client's default: at most 4 calls in flight per project, then batches of up to 100";
        context.DescribeServers(report);

        var ratio = ThroughputComparison.Ratio(results[(64, "conduit")].Throughput, results[(64, "direct")].Throughput);
        report.Goals.Add(new GoalResult("Conduit GET throughput at c=64", "≥ 0.50 of direct", $"{ratio:0.00}", context.Quick ? null : ratio >= 0.50));
        var added = results[(16, "conduit")].P99Ms - results[(16, "direct")].P99Ms;
        report.Goals.Add(new GoalResult("Added p99 at c=16", "≤ 1 ms", $"{added:0.000} ms", context.Quick ? null : added <= 1.0));
        return report;
    }

    private static void Require(RedisValue value)
    {
        if (value.IsNull)
        {
            throw new InvalidOperationException("GET returned nil for a seeded key.");
        }
    }
}
