using Conduit.Bench.Infrastructure;
using Conduit.Bench.Reporting;
using Conduit.Client;
using Conduit.Redis;
using StackExchange.Redis;
using ConduitRedisCommand = Conduit.Redis.RedisCommand;

namespace Conduit.Bench.Scenarios;

/// <summary>
/// <c>redis-batch</c>: 100 GETs sent as one pipelined batch: a direct StackExchange.Redis batch, the same
/// batch through twemproxy, and one Conduit batch call (one grain call, one pipeline to Redis).
/// </summary>
internal sealed class RedisBatchScenario : IScenario
{
    /// <summary>Commands in one batch.</summary>
    public const int BatchSize = 100;

    private static readonly int[] Concurrencies = [1, 16, 64];

    public string Name => "redis-batch";

    public string Summary => $"Redis pipelined batch of {BatchSize} GETs: direct StackExchange.Redis vs twemproxy vs Conduit at c=1/16/64";

    public async Task<ScenarioReport> RunAsync(BenchContext context, CancellationToken cancellationToken)
    {
        var setup = context.Task("redis-batch: servers, silo, keys");
        var settings = SiloSettings.UnthrottledEnterprise();
        await using var paths = await RedisPaths.OpenAsync(context, Name, settings).ConfigureAwait(false);
        var project = paths.Conduit;
        var directDb = paths.Direct;
        var proxyDb = paths.ViaProxy;
        setup.Increment(1);
        setup.StopTask();

        // Keys and Conduit commands are built once, so every path pays only for sending and reading the batch.
        var keys = Enumerable.Range(0, RedisGetScenario.Keys).Select(i => (RedisKey)RedisGetScenario.Key(i)).ToArray();
        var commands = Enumerable.Range(0, RedisGetScenario.Keys).Select(i => new ConduitRedisCommand("GET", [RedisGetScenario.Key(i)])).ToArray();
        var random = Enumerable.Range(0, 64).Select(i => new Random(3000 + i)).ToArray();
        var modes = new List<ComparisonMode>
        {
            new("direct", w => PipelinedGetsAsync(directDb, keys, random[w])),
            new("twemproxy", w => PipelinedGetsAsync(proxyDb, keys, random[w])),
            new("conduit", w => ConduitBatchAsync(project, commands, random[w])),
        };

        var measure = context.Measure(full: 10);
        var rounds = context.Quick ? 1 : 3;
        var results = await ThroughputComparison.RunAsync(context, Concurrencies, modes, context.Warmup(), measure, cancellationToken, rounds).ConfigureAwait(false);

        var report = new ScenarioReport(
            Name,
            $"Redis pipelined batch of {BatchSize} GETs",
            $"One operation is a batch of {BatchSize} GETs, each of a random one of {RedisGetScenario.Keys:N0} keys holding 100-byte values, sent as one pipeline; "
            + "the operation ends when all replies are back and every reply has been checked to be a value. Issued from this frontend process by closed-loop workers three ways: "
            + $"**direct** StackExchange.Redis (one multiplexer; `IBatch` with {BatchSize} `StringGetAsync`, `Execute`, await all), "
            + "**twemproxy** (the same batch through nutcracker on loopback), "
            + $"and **conduit** (one `project.Redis.BatchAsync` call of {BatchSize} GET commands: the Orleans client → the silo process → the tenant grain, "
            + "which pipelines them on its multiplexer → Redis, replies returned together). "
            + "Batches/s counts whole batches; Commands/s is that × " + BatchSize + "; p50 and p99 are per batch. Every figure is a ratio to direct, measured in the same run.");
        var modeNames = modes.Select(m => m.Name).ToArray();
        var unit = new OperationUnit("batches", "Batches", BatchSize);
        ThroughputComparison.AddTable(report, "results", "Throughput and latency by concurrency", results, Concurrencies, modeNames, unit);
        ThroughputComparison.AddCharts(report, "redis-batch", results, Concurrencies, modeNames, 0.90, unit);
        report.Settings["Per cell"] = $"{context.Warmup().TotalSeconds:0.#} s warm-up, {measure.TotalSeconds:0.#} s measured in {rounds} rounds alternating between the paths";
        report.Settings["Tenant"] = "ENTERPRISE tier";
        report.Settings["Silo settings"] = SiloSettings.Describe(settings);
        context.DescribeServers(report);

        var ratio = ThroughputComparison.Ratio(results[(64, "conduit")].Throughput, results[(64, "direct")].Throughput);
        report.Goals.Add(new GoalResult("Conduit batch throughput at c=64", "≥ 0.90 of direct", $"{ratio:0.00}", context.Quick ? null : ratio >= 0.90));
        var added = results[(16, "conduit")].P99Ms - results[(16, "direct")].P99Ms;
        report.Goals.Add(new GoalResult("Added p99 per batch at c=16", "≤ 1 ms", $"{added:0.000} ms", context.Quick ? null : added <= 1.0));
        return report;
    }

    private static async ValueTask PipelinedGetsAsync(IDatabase database, RedisKey[] keys, Random random)
    {
        var batch = database.CreateBatch();
        var gets = new Task<RedisValue>[BatchSize];
        for (var i = 0; i < gets.Length; i++)
        {
            gets[i] = batch.StringGetAsync(keys[random.Next(keys.Length)]);
        }

        batch.Execute();
        foreach (var value in await Task.WhenAll(gets).ConfigureAwait(false))
        {
            if (value.IsNull)
            {
                throw new InvalidOperationException("GET returned nil for a seeded key.");
            }
        }
    }

    private static async ValueTask ConduitBatchAsync(RedisClient project, ConduitRedisCommand[] commands, Random random)
    {
        var batch = new ConduitRedisCommand[BatchSize];
        for (var i = 0; i < batch.Length; i++)
        {
            batch[i] = commands[random.Next(commands.Length)];
        }

        var results = await project.BatchAsync(new RedisBatch(batch)).ConfigureAwait(false);
        if (results.Count != BatchSize)
        {
            throw new InvalidOperationException($"The batch of {BatchSize} commands returned {results.Count} results.");
        }

        foreach (var result in results)
        {
            if (result.GetReplyOrThrow().Kind == RedisReplyKind.Null)
            {
                throw new InvalidOperationException("GET returned nil for a seeded key.");
            }
        }
    }
}
